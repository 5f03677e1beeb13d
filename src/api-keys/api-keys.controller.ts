import { Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import { TokenCallerGuard } from '../auth/token-caller.guard.js';
import { ValidBody } from '../common/parse-body.js';
import { ApiKeysService } from './api-keys.service.js';

const createKeyBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
type CreateKeyBody = z.infer<typeof createKeyBody>;

/** A caller's own API keys. Token callers only: a leaked key cannot mint or revoke keys. */
@Controller('users/me/api-keys')
@UseGuards(TokenCallerGuard)
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** 201 with the key itself: shown this once, stored only as a hash. */
  @Post()
  create(
    @CurrentIdentity() caller: Identity,
    @ValidBody(createKeyBody, '{ "name": "<what the key is for>" }') { name }: CreateKeyBody,
  ) {
    return this.apiKeys.create(caller.email, name);
  }

  @Get()
  async list(@CurrentIdentity() caller: Identity) {
    return { keys: await this.apiKeys.list(caller.email) };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentIdentity() caller: Identity, @Param('id') id: string): Promise<void> {
    await this.apiKeys.revoke(caller.email, id, { type: 'owner' });
  }
}
