import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { knownRoots, knownRootsFile, rememberRoot } from './known-roots.js';

let dir: string;
let list: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-roots-'));
  list = path.join(dir, 'data', 'ona-build', 'temp-roots');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('knownRootsFile', () => {
  it('is in the data directory, whatever store is in use', () => {
    expect(knownRootsFile({ XDG_DATA_HOME: '/x/data', ONA_BUILD_STORE: '/y/s.db' })).toBe(
      '/x/data/ona-build/temp-roots',
    );
  });
});

describe('rememberRoot', () => {
  it('records each root once, as an absolute path, in a private file', () => {
    rememberRoot(list, '/srv/tmp-a');
    rememberRoot(list, '/srv/tmp-a');
    rememberRoot(list, '/srv/tmp-b/');

    expect(knownRoots(list)).toEqual(['/srv/tmp-a', '/srv/tmp-b']);
    expect(fs.statSync(list).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(list)).mode & 0o777).toBe(0o700);
  });

  it('refuses to write through a symbolic link', () => {
    fs.mkdirSync(path.dirname(list), { recursive: true });
    fs.symlinkSync(path.join(dir, 'elsewhere'), list);

    expect(() => rememberRoot(list, '/srv/tmp')).toThrow(/ELOOP/);
    expect(fs.existsSync(path.join(dir, 'elsewhere'))).toBe(false);
  });
});

describe('knownRoots', () => {
  it('is empty without a list, and skips lines that are not absolute paths', () => {
    expect(knownRoots(list)).toEqual([]);

    fs.mkdirSync(path.dirname(list), { recursive: true });
    fs.writeFileSync(list, '/a\n\nrelative\n/b\n/a\n');
    expect(knownRoots(list)).toEqual(['/a', '/b']);
  });
});
