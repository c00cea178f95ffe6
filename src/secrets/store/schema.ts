// The store's on-disk layout: the schema and its migrations, the SQL run against it, opening the
// database, and the key-check row that ties the store to one master key.

import fs from 'node:fs';

import Database from 'better-sqlite3';

import { decrypt, encrypt } from '../../crypto/envelope.js';
import { describeErrno, errorCode } from '../../errno.js';
import { OnaBuildError, StoreError } from '../../errors.js';
import type { Scope } from '../model.js';
import { missingStoreError, prepareStoreFile } from './store-file.js';

/** Part of every AAD; bump it (with a migration) if the AAD layout ever changes. */
export const FORMAT_VERSION = 1;

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

export const SQL = {
  insertKeyCheck: `INSERT OR IGNORE INTO key_check (id, nonce, ciphertext, tag, created_at)
    VALUES (1, ?, ?, ?, ?)`,
  selectKeyCheck: 'SELECT nonce, ciphertext, tag FROM key_check WHERE id = 1',
  selectScopeKeys: 'SELECT kind, org, owner, nonce, wrapped_key, tag FROM scope_keys',
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

export type ScopeParams = [kind: string, org: string, owner: string];
export type SealedRow = [nonce: Buffer, ciphertext: Buffer, tag: Buffer];
export type MetaRow = [name: string, type: string, meta: string, updatedAt: string];
export type SecretRow = [...MetaRow, nonceTagCiphertext: Buffer];
export type SecretFields = [name: string, type: string, meta: string, ...SealedRow];

/**
 * Opens the store's database. With `create`, a missing file is made (for `secret set`); without
 * it, only an existing file is opened, and its journal mode is left as it is: switching to WAL
 * writes to the file, which may not be a store yet.
 */
export function openDatabase(file: string, create: boolean): Database.Database {
  try {
    prepareStoreFile(file, create);
    const db = connect(file, create);
    try {
      // WAL lets readers run during a write; a killed writer leaves only an uncommitted tail that
      // the next open discards. FULL syncs each commit, so a put that returned survives power loss.
      if (create) enableWal(db);
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

/** Without `create`, SQLite must not create the file either: it may be gone since checked. */
function connect(file: string, create: boolean): Database.Database {
  try {
    return new Database(file, { timeout: BUSY_TIMEOUT_MS, fileMustExist: !create });
  } catch (error) {
    if (!create && !fs.existsSync(file)) throw missingStoreError(file);
    throw error;
  }
}

/**
 * Switching a new file to WAL takes an exclusive lock, which SQLite refuses at once (SQLITE_BUSY,
 * without waiting out the busy timeout) while another process is opening the same new store. So
 * it is retried until that timeout. The mode is kept in the file: once one process has switched
 * it, the others find it set.
 */
function enableWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) === 'wal') return;
      if (db.pragma('journal_mode = WAL', { simple: true }) === 'wal') return;
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
    if (Date.now() > deadline) throw new Database.SqliteError('database is locked', 'SQLITE_BUSY');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
}

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
}

/**
 * Brings the schema up to date. Without `create`, a file with no schema yet (empty, or being
 * created by a `secret set` at this moment) is refused as not yet a store: nothing is written to
 * it. An existing store of an older schema is upgraded either way.
 */
export function migrate(db: Database.Database, file: string, create: boolean): void {
  const latest = MIGRATIONS.length;
  const version = () => db.pragma('user_version', { simple: true }) as number;

  const check = (): number => {
    const current = version();
    if (current > latest) {
      throw new StoreError(
        `secret store ${file} has schema version ${current}; this ona-build reads up to ` +
          `version ${latest}, upgrade ona-build`,
        'STORE_VERSION',
      );
    }

    // A database at version 0 that already has tables belongs to another program: adding ours
    // to it would mix secrets into someone else's file.
    if (current === 0 && hasForeignTables(db)) {
      throw new StoreError(
        `${file} is a SQLite database of another program, not an ona-build store; ` +
          'choose another --store path',
        'STORE_FOREIGN',
      );
    }
    if (current === 0 && !create) throw missingStoreError(file, 'is empty, not a store yet');
    return current;
  };

  // Both reads in one snapshot: a migration another process commits between them would otherwise
  // look like a foreign database (tables, but version 0).
  const current = db.transaction(check)();
  if (current === latest) return;

  // Checked again under the write lock: another process may have migrated meanwhile.
  const apply = db.transaction(() => {
    for (let step = check(); step < latest; step++) {
      db.exec(MIGRATIONS[step]);
      db.pragma(`user_version = ${step + 1}`);
    }
  });
  apply.immediate();
}

function hasForeignTables(db: Database.Database): boolean {
  const row = db
    .prepare(
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .get() as { n: number };
  return row.n > 0;
}

const KEY_CHECK_AAD = Buffer.from(JSON.stringify(['ona-build/key-check', FORMAT_VERSION]));

/**
 * A value sealed under the master key when the store is created. Opening it tells a wrong master
 * key apart from a tampered row, and stops a wrong key from ever writing into the store. Kept if
 * the store has one already (another process may have created it first).
 */
export function sealKeyCheck(db: Database.Database, masterKey: Buffer): void {
  const sealed = encrypt(masterKey, Buffer.alloc(0), KEY_CHECK_AAD);
  db.prepare(SQL.insertKeyCheck).run(sealed.nonce, sealed.ciphertext, sealed.tag, now());
}

export function hasKeyCheck(db: Database.Database): boolean {
  return db.prepare(SQL.selectKeyCheck).get() !== undefined;
}

export function checkMasterKey(db: Database.Database, masterKey: Buffer, file: string): void {
  const row = db.prepare<[], SealedRow>(SQL.selectKeyCheck).raw().get();
  if (!row) {
    // New stores get theirs with their schema, in one transaction; an older ona-build wrote it
    // just after, so a store it was creating when killed has none.
    throw new StoreError(
      `secret store ${file} has no key check: its creation was interrupted (the next ` +
        '`ona-build secret set` completes it) or it was tampered with',
      'STORE_INCOMPLETE',
    );
  }

  const [nonce, ciphertext, tag] = row;
  try {
    decrypt(masterKey, { nonce, ciphertext, tag }, KEY_CHECK_AAD);
  } catch {
    throw new StoreError(
      `the master key does not match secret store ${file}; it was created with another key`,
      'MASTER_KEY_MISMATCH',
    );
  }
}

export function scopeParams(scope: Scope): ScopeParams {
  return [scope.kind, scope.org, scope.owner];
}

export function now(): string {
  return new Date().toISOString();
}

/** SQLite and file-system failures become a StoreError naming the store; bugs stay as they are. */
export function toStoreError(error: unknown, file: string): unknown {
  if (error instanceof OnaBuildError) return error;
  if (isDriverMissing(error)) {
    return new StoreError(
      'the SQLite driver (better-sqlite3) cannot be loaded, often after a Node.js upgrade: ' +
        'reinstall ona-build, or run npm rebuild better-sqlite3 where it is installed',
      'STORE_DRIVER',
      { cause: error },
    );
  }

  if (!(error instanceof Database.SqliteError) && errorCode(error) === undefined) return error;
  const reason = error instanceof Database.SqliteError ? sqliteReason(error) : describeErrno(error);
  return new StoreError(`cannot use secret store ${file}: ${reason}`, 'STORE', { cause: error });
}

/**
 * SQLite's message, with what usually causes it where SQLite says only "disk I/O error": it
 * could not write its file or the -wal and -shm files beside it.
 */
function sqliteReason(error: InstanceType<typeof Database.SqliteError>): string {
  if (!error.code.startsWith('SQLITE_IOERR')) return error.message;
  return `${error.message} (is the filesystem holding it full, read-only or failing?)`;
}

/** better-sqlite3 loads its native part on first use; a missing or stale build fails there. */
function isDriverMissing(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === 'ERR_DLOPEN_FAILED' ||
    message.includes('Could not locate the bindings file') ||
    message.includes('was compiled against a different Node.js version')
  );
}
