// The embedded secret store: one SQLite file. Each scope has its own random data key, wrapped by
// the master key; each secret is sealed with its scope's data key and AAD naming exactly where it
// belongs, so a ciphertext copied to another row, scope, name or type fails to decrypt.

import { createSecretKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import {
  decrypt,
  DecryptError,
  encrypt,
  generateKey,
  KEY_BYTES,
  NONCE_BYTES,
  TAG_BYTES,
} from '../../crypto/envelope.js';
import { OnaBuildError, StoreError } from '../../errors.js';
import {
  SCOPE_KINDS,
  SECRET_TYPES,
  type RegistryTarget,
  type Scope,
  type Secret,
  type SecretMeta,
  type SecretType,
} from '../model.js';
import type { SecretSource } from '../source.js';
import { describeScope, validateSecret } from '../validate.js';

/** Part of every AAD; bump it (with a migration) if the AAD layout ever changes. */
const FORMAT_VERSION = 1;

// Long enough to ride out another process's write, short enough to report a stuck lock.
const BUSY_TIMEOUT_MS = 10_000;

/** Migration i takes the schema from PRAGMA user_version i to i + 1. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    tag BLOB NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE scope_keys (
    kind TEXT NOT NULL,
    org TEXT NOT NULL,
    owner TEXT NOT NULL,
    nonce BLOB NOT NULL,
    wrapped_key BLOB NOT NULL,
    tag BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, org, owner)
  ) STRICT;
  CREATE TABLE secrets (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    org TEXT NOT NULL,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    meta TEXT NOT NULL,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    tag BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, org, owner, name)
  ) STRICT;
  `,
];

const SQL = {
  insertKeyCheck: `INSERT OR IGNORE INTO key_check (id, nonce, ciphertext, tag, created_at)
    VALUES (1, ?, ?, ?, ?)`,
  selectKeyCheck: 'SELECT nonce, ciphertext, tag FROM key_check WHERE id = 1',
  insertScopeKey: `INSERT OR IGNORE INTO scope_keys
    (kind, org, owner, nonce, wrapped_key, tag, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  selectScopeKey: `SELECT nonce, wrapped_key, tag FROM scope_keys
    WHERE kind = ? AND org = ? AND owner = ?`,
  upsertSecret: `INSERT INTO secrets
    (kind, org, owner, name, type, meta, nonce, ciphertext, tag, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (kind, org, owner, name) DO UPDATE SET type = excluded.type,
      meta = excluded.meta, nonce = excluded.nonce, ciphertext = excluded.ciphertext,
      tag = excluded.tag, updated_at = excluded.updated_at`,
  deleteSecret: 'DELETE FROM secrets WHERE kind = ? AND org = ? AND owner = ? AND name = ?',
  listScope: `SELECT name, type, meta, updated_at FROM secrets
    WHERE kind = ? AND org = ? AND owner = ? ORDER BY name`,
  // One BLOB per row instead of three: creating Buffers dominates reading thousands of rows.
  // Concatenating BLOBs and casting back to BLOB keeps the bytes exactly (UTF-8 database).
  readScope: `SELECT name, type, meta, updated_at, CAST(nonce || tag || ciphertext AS BLOB)
    FROM secrets WHERE kind = ? AND org = ? AND owner = ? ORDER BY name`,
} as const;

type ScopeParams = [kind: string, org: string, owner: string];
type SealedRow = [nonce: Buffer, ciphertext: Buffer, tag: Buffer];
type MetaRow = [name: string, type: string, meta: string, updatedAt: string];
type SecretRow = [...MetaRow, nonceTagCiphertext: Buffer];
type SecretFields = [name: string, type: string, meta: string, ...SealedRow];

type SecretAad = (name: string, type: string, meta: string) => Buffer;

/** What the `meta` column holds; its exact text is part of the AAD. */
interface StoredMeta {
  mount?: string;
  registry?: RegistryTarget;
}

export interface SqliteStoreOptions {
  path: string;
  masterKey: Buffer;
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

  /** Opens the store, creating the file (mode 0600) and schema on first use. */
  static open(options: SqliteStoreOptions): SqliteStore {
    if (options.masterKey.length !== KEY_BYTES) {
      throw new StoreError(`the master key must be ${KEY_BYTES} bytes`, 'MASTER_KEY');
    }

    const db = openDatabase(options.path);
    try {
      migrate(db, options.path);
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

function openDatabase(file: string): Database.Database {
  try {
    createPrivateFile(file);
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      // WAL lets readers run during a write; a killed writer leaves only an uncommitted tail that
      // the next open discards. FULL syncs each commit, so a put that returned survives power loss.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    throw toStoreError(error, file);
  }
}

/**
 * Creates the store file ourselves, mode 0600, before SQLite writes a byte; SQLite gives the -wal
 * and -shm files the mode of the database file.
 */
function createPrivateFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
}

function migrate(db: Database.Database, file: string): void {
  const latest = MIGRATIONS.length;
  const version = () => db.pragma('user_version', { simple: true }) as number;

  const current = version();
  if (current > latest) {
    throw new StoreError(
      `secret store ${file} has schema version ${current}; this ona-build reads up to ` +
        `version ${latest}, upgrade ona-build`,
      'STORE_VERSION',
    );
  }

  // Re-read the version under the write lock: another process may have migrated meanwhile.
  const apply = db.transaction(() => {
    for (let step = version(); step < latest; step++) {
      db.exec(MIGRATIONS[step]);
      db.pragma(`user_version = ${step + 1}`);
    }
  });
  if (current < latest) apply.immediate();
}

/**
 * A value sealed under the master key when the store was created. Opening it tells a wrong master
 * key apart from a tampered row, and stops a wrong key from ever writing into the store.
 */
function checkMasterKey(db: Database.Database, masterKey: Buffer, file: string): void {
  const aad = Buffer.from(JSON.stringify(['ona-build/key-check', FORMAT_VERSION]));
  const select = db.prepare<[], SealedRow>(SQL.selectKeyCheck).raw();

  if (!select.get()) {
    const sealed = encrypt(masterKey, Buffer.alloc(0), aad);
    db.prepare(SQL.insertKeyCheck).run(sealed.nonce, sealed.ciphertext, sealed.tag, now());
  }

  const [nonce, ciphertext, tag] = select.get() ?? [];
  try {
    if (!nonce || !ciphertext || !tag) throw new DecryptError();
    decrypt(masterKey, { nonce, ciphertext, tag }, aad);
  } catch {
    throw new StoreError(
      `the master key does not match secret store ${file}; it was created with another key`,
      'MASTER_KEY_MISMATCH',
    );
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

// AADs are JSON arrays: unambiguous however the strings are chosen, and the leading label keeps
// a wrapped key from ever being accepted as a secret or the other way round.
function scopeKeyAad(scope: Scope): Buffer {
  return Buffer.from(
    JSON.stringify(['ona-build/scope-key', FORMAT_VERSION, ...scopeParams(scope)]),
  );
}

/**
 * The AAD of a secret is the JSON array [label, version, kind, org, owner, name, type, meta]. The
 * scope part is encoded once per scope, since reads build thousands of these.
 */
function secretAad(scope: Scope): SecretAad {
  const head = JSON.stringify(['ona-build/secret', FORMAT_VERSION, ...scopeParams(scope)]);
  const prefix = head.slice(0, -1);
  return (name, type, meta) =>
    Buffer.from(`${prefix},${JSON.stringify([name, type, meta]).slice(1)}`);
}

/** Fixed key order, so equal metadata always gives the same text. */
function encodeMeta(secret: SecretMeta): string {
  const meta: StoredMeta = {};
  if (secret.mount !== undefined) meta.mount = secret.mount;
  if (secret.registry) {
    const { host, username, kind } = secret.registry;
    meta.registry = kind === undefined ? { host, username } : { host, username, kind };
  }
  return JSON.stringify(meta);
}

function toMeta(scope: Scope, row: MetaRow | SecretRow, file: string): SecretMeta {
  const [name, type, metaText, updatedAt] = row;
  const corrupt = () =>
    new StoreError(
      `secret ${name} (${describeScope(scope)}) in ${file} has corrupt metadata`,
      'STORE_TAMPERED',
    );

  if (!SECRET_TYPES.includes(type as SecretType)) throw corrupt();
  const fields = { name, type: type as SecretType, scope, updatedAt };
  // Most secrets have no metadata; skipping the parse for them is measurable on big reads.
  if (metaText === '{}') return fields;

  let meta: unknown;
  try {
    meta = JSON.parse(metaText);
  } catch {
    throw corrupt();
  }
  if (typeof meta !== 'object' || meta === null) throw corrupt();
  return { ...fields, ...(meta as StoredMeta) };
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

function scopeParams(scope: Scope): ScopeParams {
  return [scope.kind, scope.org, scope.owner];
}

/** A plain copy, so returned secrets share no object with the caller's arguments. */
function copyScope(scope: Scope): Scope {
  return { kind: scope.kind, org: scope.org, owner: scope.owner };
}

function now(): string {
  return new Date().toISOString();
}

/** SQLite and file-system failures become a StoreError naming the store; bugs stay as they are. */
function toStoreError(error: unknown, file: string): unknown {
  if (error instanceof OnaBuildError) return error;

  const reason = error instanceof Database.SqliteError ? error.message : errorCode(error);
  if (reason === undefined) return error;
  return new StoreError(`cannot use secret store ${file}: ${reason}`, 'STORE', { cause: error });
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
