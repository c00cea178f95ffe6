import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { makePrivateDirs } from './private-dirs.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-private-dirs-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('makePrivateDirs', () => {
  it('creates each missing level with mode 0700, and accepts one that exists', () => {
    const deep = path.join(dir, 'a', 'b', 'c');

    makePrivateDirs(deep);
    makePrivateDirs(deep);

    for (const level of ['a', 'a/b', 'a/b/c']) {
      expect(fs.statSync(path.join(dir, level)).mode & 0o777).toBe(0o700);
    }
  });

  // Node 20's recursive mkdir spins forever on this one.
  it('fails at once under a filesystem that refuses new entries (/proc)', () => {
    expect(() => makePrivateDirs('/proc/ona-build-nope/store')).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });

  it.each([
    ['a dangling symbolic link', 'ENOENT'],
    ['a regular file', 'ENOTDIR'],
  ])('fails when the directory itself is %s (%s)', (label, code) => {
    const at = path.join(dir, 'store-dir');
    if (label === 'a regular file') fs.writeFileSync(at, '');
    else fs.symlinkSync(path.join(dir, 'gone'), at);

    expect(() => makePrivateDirs(at)).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['a dangling symbolic link', (at: string) => fs.symlinkSync(path.join(dir, 'gone'), at)],
    ['a regular file', (at: string) => fs.writeFileSync(at, '')],
  ])('fails, creating nothing, when a parent is %s', (_label, plant) => {
    const parent = path.join(dir, 'p');
    plant(parent);

    expect(() => makePrivateDirs(path.join(parent, 'store'))).toThrow();
    expect(fs.existsSync(path.join(dir, 'gone'))).toBe(false);
  });
});
