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
});
