// Several processes using a store for the first time at the same moment (a CI matrix's first
// `secret set`s) all open it: none is turned away because another is switching the new file to
// WAL, or because another's schema is half seen. A race, so it is run for several rounds, each
// with the processes released at one instant.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';

import { REPO_ROOT } from '../helpers/cli.js';

const PROCESSES = 8;
const ROUNDS = 8;

const STORE_MODULE = path.join(REPO_ROOT, 'dist/secrets/store/sqlite-store.js');
const CHILD = `
  import { SqliteStore } from ${JSON.stringify(STORE_MODULE)};
  const [file, at] = process.argv.slice(1);
  while (Date.now() < Number(at)) {}
  const store = SqliteStore.open({ path: file, masterKey: Buffer.alloc(32, 7) });
  store.close();
`;

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a new store opened by several processes at once', () => {
  it('opens in every one of them', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-first-use-'));

    for (let round = 0; round < ROUNDS; round++) {
      const file = path.join(dir, `store-${round}.db`);
      const at = String(Date.now() + 500);
      const children = await Promise.all(
        Array.from({ length: PROCESSES }, () =>
          execa(process.execPath, ['--input-type=module', '-e', CHILD, file, at], {
            reject: false,
          }),
        ),
      );

      const failures = children.filter((child) => child.exitCode !== 0).map((c) => c.stderr);
      expect(failures, `round ${round}`).toEqual([]);
    }
  }, 60_000);
});
