// Several processes using a store for the first time at the same moment (a CI matrix's first
// `secret set`s) all open it: none is turned away because another is switching the new file to
// WAL, or because another's schema is half seen; a read at that moment finds the store missing
// or whole. A race, so it is run for several rounds, each with the processes released at one
// instant.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';

import { REPO_ROOT } from '../helpers/cli.js';

const PROCESSES = 8;
const ROUNDS = 8;

const STORE_MODULE = path.join(REPO_ROOT, 'dist/secrets/store/sqlite-store.js');
// A reader (mode "read") may find the store not created yet, but nothing else: not a store half
// made, nor one it could not open because a writer was creating it.
const CHILD = `
  import { SqliteStore } from ${JSON.stringify(STORE_MODULE)};
  const [file, at, mode] = process.argv.slice(1);
  while (Date.now() < Number(at)) {}
  const create = mode === 'create';
  try {
    SqliteStore.open({ path: file, masterKey: Buffer.alloc(32, 7), create }).close();
  } catch (error) {
    if (create || error.code !== 'STORE_MISSING') throw error;
  }
`;

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts every child at one instant, each opening `file` in its mode; returns their failures. */
async function openAtOnce(file: string, modes: readonly string[]): Promise<string[]> {
  const at = String(Date.now() + 500);
  const children = await Promise.all(
    modes.map((mode) =>
      execa(process.execPath, ['--input-type=module', '-e', CHILD, file, at, mode], {
        reject: false,
      }),
    ),
  );
  return children.filter((child) => child.exitCode !== 0).map((child) => child.stderr);
}

describe('a new store opened by several processes at once', () => {
  it('opens in every one of them', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-first-use-'));

    for (let round = 0; round < ROUNDS; round++) {
      const file = path.join(dir, `store-${round}.db`);
      const modes = Array.from({ length: PROCESSES }, () => 'create');

      expect(await openAtOnce(file, modes), `round ${round}`).toEqual([]);
    }
  }, 60_000);

  it('is found by readers opening it meanwhile either missing or whole', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-first-use-'));

    for (let round = 0; round < ROUNDS; round++) {
      const file = path.join(dir, `store-${round}.db`);
      const modes = Array.from({ length: PROCESSES }, (_, i) => (i % 2 ? 'read' : 'create'));

      expect(await openAtOnce(file, modes), `round ${round}`).toEqual([]);
    }
  }, 60_000);
});
