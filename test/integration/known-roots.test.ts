// The list of explicit temp roots is appended to by every run that uses one: processes recording
// at the same moment lose none of their roots.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';

import { REPO_ROOT } from '../helpers/cli.js';
import { knownRoots } from '../../src/materialize/known-roots.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('rememberRoot', () => {
  it('loses no root when several processes record at once', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-roots-'));
    const list = path.join(dir, 'temp-roots');
    const module = path.join(REPO_ROOT, 'dist/materialize/known-roots.js');
    const script = `
      import { rememberRoot } from ${JSON.stringify(module)};
      const [list, n] = process.argv.slice(1);
      for (let i = 0; i < 50; i++) rememberRoot(list, '/r/' + n + '-' + i);
    `;
    const children = await Promise.all(
      Array.from({ length: 4 }, (_, n) =>
        execa(process.execPath, ['--input-type=module', '-e', script, list, String(n)]),
      ),
    );

    expect(children.map((child) => child.exitCode)).toEqual([0, 0, 0, 0]);
    expect(knownRoots(list)).toHaveLength(200);
  });
});
