import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SecretError, StoreError } from '../../errors.js';
import type { Scope, Secret } from '../model.js';
import { SqliteStore } from './sqlite-store.js';
import { thrownBy } from '../../test-support/thrown-by.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));

const org: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };
const project: Scope = { kind: 'project', org: 'acme', owner: 'web' };
const user: Scope = { kind: 'user', org: 'acme', owner: 'alice' };

let dir: string;
let storePath: string;
let masterKey: Buffer;
const opened: SqliteStore[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-build-store-'));
  storePath = path.join(dir, 'state', 'secrets.db');
  masterKey = randomBytes(32);
});

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function openStore(key = masterKey, create = true): SqliteStore {
  const store = SqliteStore.open({ path: storePath, masterKey: key, create });
  opened.push(store);
  return store;
}

function secret(name: string, value: string | Buffer, fields: Partial<Secret> = {}): Secret {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return { name, type: 'api-only', scope: project, value: bytes, ...fields };
}

/** Runs SQL on the store file through a separate connection, as an attacker with the file would. */
function sql(statement: string, ...params: unknown[]): unknown[] {
  const db = new Database(storePath);
  try {
    const prepared = db.prepare(statement);
    if (prepared.reader) return prepared.all(...params);
    prepared.run(...params);
    return [];
  } finally {
    db.close();
  }
}

function count(table: string): number {
  return (sql(`SELECT count(*) AS n FROM ${table}`)[0] as { n: number }).n;
}

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

function thrownByOpen(key = masterKey, create = true): StoreError {
  return thrownBy(() => openStore(key, create), StoreError);
}

describe('SqliteStore values', () => {
  it.each([
    ['binary', Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i))],
    ['CRLF', Buffer.from('user=ci\r\npassword=hunter2\r\n')],
    ['trailing newlines', Buffer.from('token\n\n\n')],
    ['empty', Buffer.alloc(0)],
    ['512,000-byte', randomBytes(512_000)],
  ])('returns a %s value byte for byte after reopening', async (_, value) => {
    await openStore().put(secret('VALUE', value));
    opened.pop()?.close();

    const [read] = await openStore().read([project]);

    expect(read?.value).toHaveLength(value.length);
    expect(Buffer.compare(read?.value ?? Buffer.alloc(1), value)).toBe(0);
  });

  it.each([
    ['a 512,001-byte value', secret('BIG', randomBytes(512_001)), 'SECRET_TOO_LARGE'],
    ['an invalid name', secret('bad name', 'v'), 'SECRET_NAME'],
    ['a file secret without a mount', secret('cfg', 'v', { type: 'file' }), 'SECRET'],
  ])('refuses %s before writing anything', async (_, invalid, code) => {
    const store = openStore();

    await expect(store.put(invalid)).rejects.toThrow(SecretError);
    await expect(store.put(invalid)).rejects.toMatchObject({ code });

    expect(count('secrets')).toBe(0);
    expect(count('scope_keys')).toBe(0);
  });

  it('keeps mount and registry metadata', async () => {
    const store = openStore();
    const registry = { host: 'ghcr.io', username: 'ci-bot', kind: 'basic' } as const;
    await store.put(secret('npmrc', 'registry=x', { type: 'file', mount: '/root/.npmrc' }));
    await store.put(secret('ghcr', 'ghp_token', { type: 'registry', registry }));

    const [ghcr, npmrc] = await store.read([project]);

    expect(ghcr).toMatchObject({ name: 'ghcr', type: 'registry', registry, scope: project });
    expect(npmrc).toMatchObject({ name: 'npmrc', type: 'file', mount: '/root/.npmrc' });
    expect(ghcr?.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('replaces a secret with the same scope and name', async () => {
    const store = openStore();
    await store.put(secret('TOKEN', 'old'));
    await store.put(secret('TOKEN', 'new', { type: 'env' }));

    const secrets = await store.read([project]);

    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatchObject({ type: 'env', value: Buffer.from('new') });
  });

  it('removes a secret and reports whether there was one', async () => {
    const store = openStore();
    await store.put(secret('TOKEN', 'v'));

    expect(await store.remove(project, 'TOKEN')).toBe(true);
    expect(await store.remove(project, 'TOKEN')).toBe(false);
    expect(await store.read([project])).toEqual([]);
  });
});

describe('SqliteStore list and read', () => {
  async function fillScopes(store: SqliteStore): Promise<void> {
    for (const [scope, name] of [
      [user, 'b'],
      [project, 'z'],
      [org, 'm'],
      [project, 'a'],
      [org, 'c'],
    ] as const) {
      await store.put(secret(name, `value of ${name}`, { scope }));
    }
  }

  it('lists metadata sorted by scope then name, without decrypting', async () => {
    const store = openStore();
    await fillScopes(store);
    sql("UPDATE secrets SET ciphertext = x'00' WHERE name = 'z'");

    const listed = await store.list([user, project, org, project]);

    expect(listed.map((meta) => `${meta.scope.kind}:${meta.name}`)).toEqual([
      'organization:c',
      'organization:m',
      'project:a',
      'project:z',
      'user:b',
    ]);
    expect(listed.some((meta) => 'value' in meta)).toBe(false);
  });

  it('reads only the scopes asked for, in the same order as list', async () => {
    const store = openStore();
    await fillScopes(store);

    const secrets = await store.read([user, org]);

    expect(secrets.map((s) => [s.name, s.value.toString()])).toEqual([
      ['c', 'value of c'],
      ['m', 'value of m'],
      ['b', 'value of b'],
    ]);
  });

  it('keeps secrets written by several open stores interleaved', async () => {
    const stores = [openStore(), openStore(), openStore(), openStore()];

    await Promise.all(
      stores.flatMap((store, worker) =>
        Array.from({ length: 200 }, (_, i) => store.put(secret(`w${worker}_${i}`, `v${i}`))),
      ),
    );

    expect(await openStore().read([project])).toHaveLength(800);
    expect(count('scope_keys')).toBe(1);
  });
});

describe('SqliteStore keys and tampering', () => {
  const values = ['alpha-value', 'bravo-value', 'config-value', 'user-value'];

  async function fillStore(): Promise<SqliteStore> {
    const store = openStore();
    await store.put(secret('A', values[0] ?? ''));
    await store.put(secret('B', values[1] ?? ''));
    await store.put(secret('F', values[2] ?? '', { type: 'file', mount: '/run/f' }));
    await store.put(secret('A', values[3] ?? '', { scope: user }));
    return store;
  }

  function expectNoValues(message: string): void {
    for (const value of values) expect(message).not.toContain(value);
  }

  it('refuses a master key that does not match the store, naming the store only', async () => {
    await fillStore();
    const wrongKey = randomBytes(32);

    const error = thrownByOpen(wrongKey);

    expect(error.code).toBe('MASTER_KEY_MISMATCH');
    expect(error.message).toContain('master key does not match');
    expect(error.message).toContain(storePath);
    expect(error.message).not.toContain(wrongKey.toString('base64'));
    expectNoValues(error.message);
  });

  const swapA = `UPDATE secrets SET (nonce, ciphertext, tag) =
    (SELECT nonce, ciphertext, tag FROM secrets WHERE kind = 'project' AND name = 'B')
    WHERE kind = 'project' AND name = 'A'`;
  const moveToUser = `UPDATE secrets SET (nonce, ciphertext, tag) =
    (SELECT nonce, ciphertext, tag FROM secrets WHERE kind = 'project' AND name = 'A')
    WHERE kind = 'user' AND name = 'A'`;
  const flipFirstByte = (column: 'ciphertext' | 'tag') => () => {
    const where = "WHERE kind = 'project' AND name = 'A'";
    const [row] = sql(`SELECT ${column} AS bytes FROM secrets ${where}`) as { bytes: Buffer }[];
    const bytes = Buffer.from(row?.bytes ?? []);
    bytes[0] ^= 0x01;
    sql(`UPDATE secrets SET ${column} = ? ${where}`, bytes);
  };
  const run = (statement: string) => () => void sql(statement);

  it.each([
    ['given the ciphertext of another secret', run(swapA), 'A', project],
    ['moved to another scope', run(moveToUser), 'A', user],
    ['retyped', run("UPDATE secrets SET type = 'env' WHERE name = 'B'"), 'B', project],
    ['renamed', run("UPDATE secrets SET name = 'C' WHERE name = 'B'"), 'C', project],
    [
      'remounted',
      run(`UPDATE secrets SET meta = '{"mount":"/etc"}' WHERE name = 'F'`),
      'F',
      project,
    ],
    ['with a flipped ciphertext byte', flipFirstByte('ciphertext'), 'A', project],
    ['with a flipped tag byte', flipFirstByte('tag'), 'A', project],
  ])('fails naming the secret when it is %s', async (_, tamper, name, scope) => {
    const store = await fillStore();
    tamper();

    const error = await rejection(store.read([project, user]));

    expect(error.code).toBe('STORE_TAMPERED');
    const where = scope === user ? 'user acme/alice' : 'project acme/web';
    expect(error.message).toContain(`secret ${name} (${where})`);
    expect(error.message).toContain('failed authentication');
    expectNoValues(error.message);
  });

  it.each([
    ['was altered', "UPDATE scope_keys SET tag = zeroblob(16) WHERE owner = 'web'", 'data key of'],
    ['was deleted', "DELETE FROM scope_keys WHERE owner = 'web'", 'no data key'],
  ])('fails naming the scope when its data key %s', async (_, tamper, expected) => {
    await fillStore();
    sql(tamper);

    const error = await rejection(openStore().read([project]));

    expect(error.code).toBe('STORE_TAMPERED');
    expect(error.message).toContain(expected);
    expect(error.message).toContain('project acme/web');
  });

  it('reads a scope that has never been written as empty', async () => {
    await fillStore();

    expect(await openStore().read([org])).toEqual([]);
    expect(await openStore().list([org])).toEqual([]);
  });
});

describe('SqliteStore file', () => {
  it('creates the store file with mode 0600 in a new 0700 directory', async () => {
    await openStore().put(secret('TOKEN', 'v'));

    expect(fs.statSync(storePath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${storePath}-wal`).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(storePath)).mode & 0o777).toBe(0o700);
  });

  it('refuses a store file that others can read, saying how to fix it', async () => {
    await openStore().put(secret('TOKEN', 'v'));
    opened.splice(0).forEach((store) => store.close());
    fs.chmodSync(storePath, 0o644);

    expect(() => openStore()).toThrow(/has mode 0644: run chmod 600/);
  });

  // Giving a file to another user takes root; as any other user these cannot be set up.
  const isRoot = process.getuid?.() === 0;
  const NOBODY = 65534;

  it.runIf(isRoot)("refuses another user's store file before writing anything to it", () => {
    fs.mkdirSync(path.dirname(storePath), { recursive: true });
    fs.writeFileSync(storePath, '', { mode: 0o600 });
    fs.chownSync(storePath, NOBODY, NOBODY);

    expect(() => openStore()).toThrow(/belongs to another user \(uid 65534\)/);
    expect(fs.statSync(storePath).size).toBe(0);
  });

  it.runIf(isRoot)('refuses a store path that is a symbolic link of another user', () => {
    const target = path.join(dir, 'elsewhere.db');
    fs.mkdirSync(path.dirname(storePath), { recursive: true });
    fs.symlinkSync(target, storePath);
    fs.lchownSync(storePath, NOBODY, NOBODY);

    expect(() => openStore()).toThrow(/symbolic link owned by another user/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses a dangling symbolic link, creating nothing where it points', () => {
    const target = path.join(dir, 'elsewhere.db');
    fs.mkdirSync(path.dirname(storePath), { recursive: true });
    fs.symlinkSync(target, storePath);

    expect(() => openStore()).toThrow(/symbolic link to a missing file/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses a store path that is a directory, saying so', () => {
    fs.mkdirSync(storePath, { recursive: true });

    expect(() => openStore()).toThrow(StoreError);
    expect(() => openStore()).toThrow(/is a directory: give the path of the store's file/);
  });

  it("refuses another program's SQLite database and leaves it untouched", () => {
    fs.mkdirSync(path.dirname(storePath), { recursive: true });
    const foreign = new Database(storePath);
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    foreign.close();

    expect(() => openStore()).toThrow(/SQLite database of another program/);

    const check = new Database(storePath, { readonly: true });
    const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    check.close();
    expect(tables).toEqual([{ name: 'invoices' }]);
  });

  it('records its schema version and uses WAL', () => {
    openStore();

    expect(sql('PRAGMA user_version')).toEqual([{ user_version: 1 }]);
    expect(sql('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('refuses a store written by a newer ona-build', () => {
    openStore();
    sql('PRAGMA user_version = 2');

    const error = thrownByOpen();

    expect(error.code).toBe('STORE_VERSION');
    expect(error.message).toContain(storePath);
  });

  it.each([
    ['is not a SQLite database', () => fs.writeFileSync(storePath, 'x'.repeat(4096))],
    ['is a directory', () => fs.mkdirSync(storePath)],
  ])('fails with one line naming the path when the file %s', (_, plant) => {
    fs.mkdirSync(path.dirname(storePath), { recursive: true });
    plant();

    const error = thrownByOpen();

    expect(error.code).toBe('STORE');
    expect(error.message).toContain(`secret store ${storePath}`);
    expect(error.message).not.toContain('\n');
  });
});

describe('SqliteStore opened without create', () => {
  const openExisting = (key = masterKey) => openStore(key, false);

  it('refuses a missing store, naming it, and creates neither file nor directory', () => {
    const error = thrownByOpen(masterKey, false);

    expect(error.code).toBe('STORE_MISSING');
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe(
      `secret store ${storePath} does not exist: it is created by the first ` +
        '`ona-build secret set` (is --store or ONA_BUILD_STORE right?)',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses an empty file as not a store yet, and leaves it empty', () => {
    fs.mkdirSync(path.dirname(storePath));
    fs.writeFileSync(storePath, '', { mode: 0o600 });

    const error = thrownByOpen(masterKey, false);

    expect(error.code).toBe('STORE_MISSING');
    expect(error.message).toContain(`secret store ${storePath} is empty, not a store yet`);
    expect(fs.statSync(storePath).size).toBe(0);
    expect(fs.readdirSync(path.dirname(storePath))).toEqual(['secrets.db']);
  });

  it('reads, lists and removes the secrets of an existing store', async () => {
    await openStore().put(secret('TOKEN', 'token-value'));
    opened.splice(0).forEach((store) => store.close());

    const store = openExisting();

    expect((await store.read([project])).map((s) => s.value.toString())).toEqual(['token-value']);
    expect((await store.list([project])).map((s) => s.name)).toEqual(['TOKEN']);
    expect(await store.remove(project, 'TOKEN')).toBe(true);
    expect(count('secrets')).toBe(0);
  });

  it('still refuses a wrong master key, a loose mode and a dangling link', async () => {
    await openStore().put(secret('TOKEN', 'v'));
    opened.splice(0).forEach((store) => store.close());

    expect(thrownByOpen(randomBytes(32), false).code).toBe('MASTER_KEY_MISMATCH');

    fs.chmodSync(storePath, 0o644);
    expect(thrownByOpen(masterKey, false).code).toBe('STORE_MODE');

    fs.rmSync(path.dirname(storePath), { recursive: true });
    fs.mkdirSync(path.dirname(storePath));
    fs.symlinkSync(path.join(dir, 'elsewhere.db'), storePath);
    expect(() => openExisting()).toThrow(/symbolic link to a missing file/);
    expect(fs.existsSync(path.join(dir, 'elsewhere.db'))).toBe(false);
  });

  it("refuses another program's SQLite database without switching it to WAL", () => {
    fs.mkdirSync(path.dirname(storePath));
    const foreign = new Database(storePath);
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    foreign.close();
    fs.chmodSync(storePath, 0o600);

    expect(thrownByOpen(masterKey, false).code).toBe('STORE_FOREIGN');
    expect(sql('PRAGMA journal_mode')).toEqual([{ journal_mode: 'delete' }]);
  });

  it('reports a store whose creation stopped before its key check, which create completes', () => {
    openStore();
    opened.splice(0).forEach((store) => store.close());
    sql('DELETE FROM key_check');

    const error = thrownByOpen(masterKey, false);

    expect(error.code).toBe('STORE_INCOMPLETE');
    expect(error.message).toContain(`secret store ${storePath} has no key check`);
    expect(count('key_check')).toBe(0);
    expect(() => openStore()).not.toThrow();
    expect(count('key_check')).toBe(1);
  });

  it('gives a store without its key check none sealed with another key', async () => {
    await openStore().put(secret('NPM_TOKEN', 'npm_right_key_value', { scope: project }));
    opened.splice(0).forEach((store) => store.close());
    sql('DELETE FROM key_check');

    const error = thrownByOpen(randomBytes(32));

    expect(error.code).toBe('MASTER_KEY_MISMATCH');
    expect(error.message).toContain('does not open the data key of project acme/web');
    expect(count('key_check')).toBe(0);
    const secrets = await openStore().read([project]);
    expect(secrets.map((s) => s.value.toString())).toEqual(['npm_right_key_value']);
  });
});

describe('SqliteStore across processes', () => {
  function nextMessage(child: ChildProcess): Promise<unknown> {
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`child exited with code ${String(code)} before reporting`);
    });
    return Promise.race([once(child, 'message').then(([message]) => message as unknown), exited]);
  }

  it('loses no secret when four processes write at once', async () => {
    const children = [0, 1, 2, 3].map((worker) =>
      fork(`${fixtures}put-secrets.js`, [storePath, String(worker), '200'], {
        execArgv: ['--import', `${fixtures}register-ts.js`],
      }),
    );
    await Promise.all(children.map(nextMessage));

    // All children have loaded; now they race to create the store, its scope key and rows.
    for (const child of children) child.send(masterKey.toString('base64'));
    expect(await Promise.all(children.map(nextMessage))).toEqual(['done', 'done', 'done', 'done']);

    const secrets = await openStore().read([project]);
    expect(secrets).toHaveLength(800);
    expect(secrets.every((s) => s.value.toString() === `value of ${s.name}\n`)).toBe(true);
    expect(count('scope_keys')).toBe(1);
  }, 120_000);

  it('stays consistent when a writer is killed in the middle of a transaction', async () => {
    const store = openStore();
    await store.put(secret('KEPT', 'kept-value\r\n'));
    await store.put(secret('ALSO_KEPT', Buffer.alloc(0)));
    store.close();

    const writer = spawn(process.execPath, [`${fixtures}killed-writer.js`, storePath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [started] = (await once(writer.stdout, 'data')) as [Buffer];
    expect(started.toString()).toBe('in-transaction\n');
    // The uncommitted transaction has spilled into the WAL file, then the writer dies.
    expect(fs.statSync(`${storePath}-wal`).size).toBeGreaterThan(1_000_000);
    writer.kill('SIGKILL');
    await once(writer, 'exit');

    const secrets = await openStore().read([project]);
    expect(secrets.map((s) => [s.name, s.value.toString()])).toEqual([
      ['ALSO_KEPT', ''],
      ['KEPT', 'kept-value\r\n'],
    ]);
    expect(sql('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  }, 60_000);
});
