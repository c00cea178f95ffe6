import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { StoreError } from '../../errors.js';
import { toStoreError } from './schema.js';

describe('toStoreError', () => {
  it.each([
    new Error('Could not locate the bindings file. Tried:\n → /a/better_sqlite3.node\n → /b'),
    Object.assign(new Error('/x/better_sqlite3.node: invalid ELF header'), {
      code: 'ERR_DLOPEN_FAILED',
    }),
    new Error(
      'The module was compiled against a different Node.js version using NODE_MODULE_VERSION',
    ),
  ])('names a driver that cannot be loaded in one line, with what to do (%#)', (error) => {
    const reported = toStoreError(error, '/s/store.db');

    expect(reported).toBeInstanceOf(StoreError);
    expect((reported as StoreError).message).toBe(
      'the SQLite driver (better-sqlite3) cannot be loaded, often after a Node.js upgrade: ' +
        'reinstall ona-build, or run npm rebuild better-sqlite3 where it is installed',
    );
  });

  it.each<[string, string]>([
    [
      'SQLITE_IOERR_WRITE',
      'disk I/O error (is the filesystem holding it full, read-only or failing?)',
    ],
    ['SQLITE_FULL', 'database or disk is full'],
  ])('names the store and what SQLite said, for %s', (code, reason) => {
    const message = code === 'SQLITE_FULL' ? 'database or disk is full' : 'disk I/O error';
    const reported = toStoreError(new Database.SqliteError(message, code), '/s/store.db');

    expect((reported as StoreError).message).toBe(`cannot use secret store /s/store.db: ${reason}`);
  });
});
