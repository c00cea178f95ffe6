import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { physicalPath } from './physical-path.js';

let dir: string;

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ona-physical-')));
  fs.mkdirSync(path.join(dir, 'target', 'inner'), { recursive: true });
  fs.symlinkSync(path.join(dir, 'target', 'inner'), path.join(dir, 'link'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('physicalPath', () => {
  it('follows a link before the .. after it, as the kernel does', () => {
    expect(physicalPath(`${dir}/link/..`)).toBe(path.join(dir, 'target'));
  });

  it('joins a missing name to the real path of its parent', () => {
    expect(physicalPath(`${dir}/link/../not-yet`)).toBe(path.join(dir, 'target', 'not-yet'));
  });

  it('reads a relative path from the current directory', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(physicalPath('link/../inner')).toBe(path.join(dir, 'target', 'inner'));
    } finally {
      process.chdir(cwd);
    }
  });
});
