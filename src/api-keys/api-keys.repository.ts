import type { Email } from '../common/email.js';

/** A key as listed: never the key itself, nor its hash. */
export interface ApiKeySummary {
  id: string;
  name: string;
  /** The key's first characters, so its owner can tell keys apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** What a lookup by hash finds: whose key it is. */
export interface ApiKeyOwner {
  id: string;
  email: Email;
  hash: string;
}

export interface NewApiKey {
  id: string;
  email: Email;
  name: string;
  prefix: string;
  hash: string;
  createdAt: string;
}

/** Who revoked a key: the owner, or staff (audited with their address). */
export type ApiKeyRevoker = { type: 'owner' } | { type: 'staff'; staffEmail: Email };

/** Where API keys live: stored by SHA-256 hash, listed per user. */
export abstract class ApiKeysRepository {
  /** Stores the key unless the user already holds `max`; throws ApiKeyLimitReachedError then. */
  abstract create(key: NewApiKey, max: number): Promise<void>;

  abstract list(email: Email): Promise<ApiKeySummary[]>;

  /** The owner of the key with this hash, or null (never stored, or revoked). */
  abstract findByHash(hash: string): Promise<ApiKeyOwner | null>;

  /** Deletes the key and records who did; the revoked key's hash, or null if there was no such key. */
  abstract revoke(email: Email, id: string, by: ApiKeyRevoker): Promise<string | null>;

  /** Records a use; a key revoked meanwhile is left alone. */
  abstract touch(owner: ApiKeyOwner, at: string): Promise<void>;
}
