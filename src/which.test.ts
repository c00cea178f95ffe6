import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { which } from './which.js';

describe('which', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-which-'));
    fs.writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'not-executable'), '', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'a-dir'));
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds an executable in PATH', () => {
    expect(which('tool', { PATH: `/nonexistent:${dir}` })).toBe(path.join(dir, 'tool'));
  });

  it('takes a name with a slash as a path', () => {
    expect(which(path.join(dir, 'tool'), { PATH: '' })).toBe(path.join(dir, 'tool'));
  });

  it.each(['missing', 'not-executable', 'a-dir'])('finds nothing for %s', (name) => {
    expect(which(name, { PATH: dir })).toBeUndefined();
  });
});
