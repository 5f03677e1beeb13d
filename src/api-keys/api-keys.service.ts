import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import { generateApiKey, generateApiKeyId, hashApiKey, shownPrefixOf } from './api-key.js';
import { ApiKeyAuthenticator } from './api-key-authenticator.js';
import { ApiKeyNotFoundError } from './api-key.errors.js';
import { ApiKeysRepository, type ApiKeyRevoker, type ApiKeySummary } from './api-keys.repository.js';

/** A key as created: the only time the key itself is ever shown. */
export interface CreatedApiKey extends Omit<ApiKeySummary, 'lastUsedAt'> {
  key: string;
}

@Injectable()
export class ApiKeysService {
  private readonly maxPerUser: number;

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly authenticator: ApiKeyAuthenticator,
    config: ConfigService<AppConfig, true>,
  ) {
    this.maxPerUser = config.get('apiKeys', { infer: true }).maxPerUser;
  }

  async create(email: Email, name: string): Promise<CreatedApiKey> {
    const key = generateApiKey();
    const created = {
      id: generateApiKeyId(),
      name,
      prefix: shownPrefixOf(key),
      createdAt: new Date().toISOString(),
    };
    await this.keys.create({ ...created, email, hash: hashApiKey(key) }, this.maxPerUser);
    return { ...created, key };
  }

  list(email: Email): Promise<ApiKeySummary[]> {
    return this.keys.list(email);
  }

  async revoke(email: Email, id: string, by: ApiKeyRevoker): Promise<void> {
    const hash = await this.keys.revoke(email, id, by);
    if (!hash) throw new ApiKeyNotFoundError();
    this.authenticator.forget(hash);
  }
}
