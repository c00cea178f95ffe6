// A secret source stores and returns secrets. The embedded SQLite store is the default; a shared
// server or a database can sit behind the same interface.

import type { Scope, Secret, SecretMeta } from './model.js';

export interface SecretSource {
  /** Creates or replaces the secret with this scope and name. */
  put(secret: Secret): Promise<void>;

  /** Removes one secret; resolves false when there was none. */
  remove(scope: Scope, name: string): Promise<boolean>;

  /** Metadata of every secret in the given scopes; never decrypts. */
  list(scopes: readonly Scope[]): Promise<SecretMeta[]>;

  /** Every secret in the given scopes, decrypted. Fails naming the secret it cannot decrypt. */
  read(scopes: readonly Scope[]): Promise<Secret[]>;

  close(): void;
}
