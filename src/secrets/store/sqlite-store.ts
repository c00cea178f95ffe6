// The embedded secret store: one SQLite file. Each scope has its own random data key, wrapped by
// the master key; each secret is sealed with its scope's data key and AAD naming exactly where it
// belongs, so a ciphertext copied to another row, scope, name or type fails to decrypt.

import { createSecretKey, type KeyObject } from 'node:crypto';

import type Database from 'better-sqlite3';

import {
  decrypt,
  DecryptError,
  encrypt,
  generateKey,
  KEY_BYTES,
  NONCE_BYTES,
  TAG_BYTES,
} from '../../crypto/envelope.js';
import { StoreError } from '../../errors.js';
import { SCOPE_KINDS, type Scope, type Secret, type SecretMeta } from '../model.js';
import type { SecretSource } from '../source.js';
import { describeScope, validateSecret } from '../validate.js';
import { encodeMeta, scopeKeyAad, secretAad, toMeta, type SecretAad } from './aad.js';
import {
  checkMasterKey,
  hasKeyCheck,
  migrate,
  now,
  openDatabase,
  scopeParams,
  sealKeyCheck,
  SQL,
  toStoreError,
  type MetaRow,
  type ScopeParams,
  type SealedRow,
  type SecretFields,
  type SecretRow,
} from './schema.js';
import { prepareStoreFile, refuseLooseMode } from './store-file.js';

export interface SqliteStoreOptions {
  path: string;
  masterKey: Buffer;
  /**
   * Create the store (file mode 0600, directory 0700, schema) when it is missing: for commands
   * that store secrets. Without it, a missing or empty store is an error and nothing is written.
   */
  create: boolean;
}

export class SqliteStore implements SecretSource {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #masterKey: KeyObject;
  readonly #dataKeys = new Map<string, KeyObject>();
  readonly #insertScopeKey: Database.Statement<[...ScopeParams, ...SealedRow, string]>;
  readonly #selectScopeKey: Database.Statement<ScopeParams, SealedRow>;
  readonly #upsertSecret: Database.Statement<[...ScopeParams, ...SecretFields, string]>;
  readonly #deleteSecret: Database.Statement<[...ScopeParams, string]>;
  readonly #listScope: Database.Statement<ScopeParams, MetaRow>;
  readonly #readScope: Database.Statement<ScopeParams, SecretRow>;

  private constructor(db: Database.Database, options: SqliteStoreOptions) {
    this.path = options.path;
    this.#db = db;
    this.#masterKey = createSecretKey(options.masterKey);
    this.#insertScopeKey = db.prepare(SQL.insertScopeKey);
    this.#selectScopeKey = db.prepare<ScopeParams, SealedRow>(SQL.selectScopeKey).raw();
    this.#upsertSecret = db.prepare(SQL.upsertSecret);
    this.#deleteSecret = db.prepare(SQL.deleteSecret);
    this.#listScope = db.prepare<ScopeParams, MetaRow>(SQL.listScope).raw();
    this.#readScope = db.prepare<ScopeParams, SecretRow>(SQL.readScope).raw();
  }

  /**
   * Refuses, writing nothing, a store path that `open` without `create` would refuse before
   * opening it: missing, a directory, a dangling or foreign link, another user's file.
   */
  static checkExisting(file: string): void {
    try {
      prepareStoreFile(file, false);
    } catch (error) {
      throw toStoreError(error, file);
    }
  }

  /** Opens the store; with `create`, makes the file and schema on first use. */
  static open(options: SqliteStoreOptions): SqliteStore {
    if (options.masterKey.length !== KEY_BYTES) {
      throw new StoreError(`the master key must be ${KEY_BYTES} bytes`, 'MASTER_KEY');
    }

    const db = openDatabase(options.path, options.create);
    try {
      if (options.create) {
        // Schema and key check in one transaction: a reader never finds a store without the key
        // check, which it would have to report as broken.
        db.transaction(() => setUp(db, options)).immediate();
      } else {
        setUp(db, options);
      }
      checkMasterKey(db, options.masterKey, options.path);
      return new SqliteStore(db, options);
    } catch (error) {
      db.close();
      throw toStoreError(error, options.path);
    }
  }

  put(secret: Secret): Promise<void> {
    return this.#run(() => this.#put(secret));
  }

  remove(scope: Scope, name: string): Promise<boolean> {
    return this.#run(() => this.#deleteSecret.run(...scopeParams(scope), name).changes > 0);
  }

  /** Sorted by scope (organization, project, user, service account), then by name. */
  list(scopes: readonly Scope[]): Promise<SecretMeta[]> {
    const listAll = this.#db.transaction(() => sortScopes(scopes).flatMap((s) => this.#list(s)));
    return this.#run(() => listAll());
  }

  /** Same order as `list`. All scopes are read from one snapshot. */
  read(scopes: readonly Scope[]): Promise<Secret[]> {
    const readAll = this.#db.transaction(() => sortScopes(scopes).flatMap((s) => this.#read(s)));
    return this.#run(() => readAll());
  }

  close(): void {
    this.#db.close();
    this.#dataKeys.clear();
  }

  /** Runs synchronous SQLite work as a promise, reporting SQLite and file errors by store path. */
  #run<T>(work: () => T): Promise<T> {
    return new Promise((resolve) => {
      try {
        resolve(work());
      } catch (error) {
        throw toStoreError(error, this.path);
      }
    });
  }

  #put(secret: Secret): void {
    validateSecret(secret);

    const meta = encodeMeta(secret);
    const aad = secretAad(secret.scope)(secret.name, secret.type, meta);

    // IMMEDIATE takes the write lock up front, so the scope key created (or found) here is the one
    // every other process sees, and the upsert cannot interleave with another writer's.
    this.#db
      .transaction(() => {
        const sealed = encrypt(this.#dataKey(secret.scope, true), secret.value, aad);
        this.#upsertSecret.run(
          ...scopeParams(secret.scope),
          secret.name,
          secret.type,
          meta,
          sealed.nonce,
          sealed.ciphertext,
          sealed.tag,
          now(),
        );
      })
      .immediate();
  }

  #list(scope: Scope): SecretMeta[] {
    const owner = copyScope(scope);
    return this.#listScope.all(...scopeParams(scope)).map((row) => toMeta(owner, row, this.path));
  }

  #read(scope: Scope): Secret[] {
    // One unwrap per scope, however many secrets it holds. Fetched before iterating, because the
    // connection runs nothing else while an iterator is open.
    const key = this.#dataKey(scope, false);
    const owner = copyScope(scope);
    const aad = secretAad(owner);
    const secrets: Secret[] = [];

    // Iterating rather than fetching all rows first: only one row's ciphertext is held at a time
    // next to the decrypted values, which halves peak memory on big reads.
    for (const row of this.#readScope.iterate(...scopeParams(scope))) {
      if (!key) {
        throw new StoreError(
          `secret store ${this.path} has secrets for ${describeScope(scope)} but no data key ` +
            `for it; the store was tampered with`,
          'STORE_TAMPERED',
        );
      }
      secrets.push(this.#open(owner, key, aad, row));
    }
    return secrets;
  }

  #open(scope: Scope, key: KeyObject, aad: SecretAad, row: SecretRow): Secret {
    const [name, type, meta, , sealed] = row;
    const nonce = sealed.subarray(0, NONCE_BYTES);
    const tag = sealed.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES);
    const ciphertext = sealed.subarray(NONCE_BYTES + TAG_BYTES);
    try {
      const value = decrypt(key, { nonce, ciphertext, tag }, aad(name, type, meta));
      return { ...toMeta(scope, row, this.path), value };
    } catch (error) {
      if (!(error instanceof DecryptError)) throw error;
      throw new StoreError(
        `secret ${name} (${describeScope(scope)}) in ${this.path} failed authentication: ` +
          `it was tampered with or moved from another secret`,
        'STORE_TAMPERED',
      );
    }
  }

  /** The scope's data key, created on first write. Data keys never change once created. */
  #dataKey(scope: Scope, create: true): KeyObject;
  #dataKey(scope: Scope, create: boolean): KeyObject | undefined;
  #dataKey(scope: Scope, create: boolean): KeyObject | undefined {
    const id = JSON.stringify(scopeParams(scope));
    const cached = this.#dataKeys.get(id);
    if (cached) return cached;

    const aad = scopeKeyAad(scope);
    if (create) {
      // Another process may insert its key first; IGNORE keeps that one and we read it below.
      const fresh = generateKey();
      const { nonce, ciphertext, tag } = encrypt(this.#masterKey, fresh, aad);
      fresh.fill(0);
      this.#insertScopeKey.run(...scopeParams(scope), nonce, ciphertext, tag, now());
    }
    const row = this.#selectScopeKey.get(...scopeParams(scope));
    if (!row) return undefined;

    const key = unwrapScopeKey(this.#masterKey, row, aad, scope, this.path);
    this.#dataKeys.set(id, key);
    return key;
  }
}

function setUp(db: Database.Database, options: SqliteStoreOptions): void {
  migrate(db, options.path, options.create);
  // Checked once the file is known to be a store, so other problems are named first.
  refuseLooseMode(options.path);
  if (!options.create) return;

  if (!hasKeyCheck(db)) refuseOtherKey(db, options);
  sealKeyCheck(db, options.masterKey);
}

/**
 * A store without its key check (an older ona-build killed while creating it, or tampering) gets
 * one only from the key that wrapped its data keys: sealed with another key, it would lock the
 * right one out of every secret.
 */
function refuseOtherKey(db: Database.Database, { masterKey, path }: SqliteStoreOptions): void {
  const rows = db.prepare<[], [...ScopeParams, ...SealedRow]>(SQL.selectScopeKeys).raw().all();

  for (const [kind, org, owner, nonce, ciphertext, tag] of rows) {
    const scope = { kind, org, owner } as Scope;
    try {
      decrypt(masterKey, { nonce, ciphertext, tag }, scopeKeyAad(scope)).fill(0);
    } catch {
      throw new StoreError(
        `the master key does not open the data key of ${describeScope(scope)} in secret store ` +
          `${path}, which has no key check: it was made with another key, or tampered with; ` +
          'nothing was written',
        'MASTER_KEY_MISMATCH',
      );
    }
  }
}

function unwrapScopeKey(
  masterKey: KeyObject,
  [nonce, ciphertext, tag]: SealedRow,
  aad: Buffer,
  scope: Scope,
  file: string,
): KeyObject {
  try {
    const raw = decrypt(masterKey, { nonce, ciphertext, tag }, aad);
    if (raw.length !== KEY_BYTES) throw new DecryptError();
    // Keep the key only inside the KeyObject; it is also what makes thousands of decryptions fast.
    const key = createSecretKey(raw);
    raw.fill(0);
    return key;
  } catch {
    throw new StoreError(
      `the data key of ${describeScope(scope)} in secret store ${file} failed authentication; ` +
        `the store was tampered with`,
      'STORE_TAMPERED',
    );
  }
}

function sortScopes(scopes: readonly Scope[]): Scope[] {
  const unique = new Map(scopes.map((scope) => [JSON.stringify(scopeParams(scope)), scope]));
  const rank = (scope: Scope) => SCOPE_KINDS.indexOf(scope.kind);
  return [...unique.values()].sort(
    (a, b) => rank(a) - rank(b) || compare(a.org, b.org) || compare(a.owner, b.owner),
  );
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** A plain copy, so returned secrets share no object with the caller's arguments. */
function copyScope(scope: Scope): Scope {
  return { kind: scope.kind, org: scope.org, owner: scope.owner };
}
