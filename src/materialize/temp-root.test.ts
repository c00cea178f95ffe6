import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MaterializeError } from '../errors.js';
import { candidateRoots, checkRoot, chooseTempRoot, isMemoryFs } from './temp-root.js';

const isRoot = process.getuid?.() === 0;

describe('candidateRoots', () => {
  it.each<[string, Parameters<typeof candidateRoots>[0], string[]]>([
    ['only /dev/shm by default', { env: {} }, ['/dev/shm']],
    [
      'XDG_RUNTIME_DIR first',
      { env: { XDG_RUNTIME_DIR: '/run/user/1000' } },
      ['/run/user/1000', '/dev/shm'],
    ],
    [
      'the disk temp dir last when allowed',
      { env: {}, allowDisk: true },
      ['/dev/shm', os.tmpdir()],
    ],
    ['only an explicit root', { env: { XDG_RUNTIME_DIR: '/run/user/1' }, explicit: '/x' }, ['/x']],
    [
      'only an explicit root, even with allowDisk',
      { env: {}, explicit: '/x', allowDisk: true },
      ['/x'],
    ],
  ])('lists %s', (_label, options, expected) => {
    expect(candidateRoots(options)).toEqual(expected);
  });
});

describe('checkRoot and chooseTempRoot', () => {
  let shm: string;
  let disk: string;

  beforeEach(() => {
    shm = fs.mkdtempSync('/dev/shm/temp-root-test-');
    disk = fs.mkdtempSync(path.join(os.tmpdir(), 'temp-root-test-'));
  });

  afterEach(() => {
    fs.rmSync(shm, { recursive: true, force: true });
    fs.rmSync(disk, { recursive: true, force: true });
  });

  it('isMemoryFs tells /dev/shm (tmpfs) from os.tmpdir() (disk here)', () => {
    expect(isMemoryFs('/dev/shm')).toBe(true);
    expect(isMemoryFs(disk)).toBe(false);
  });

  it.each([false, true])('accepts /dev/shm itself (allowDisk %s)', (allowDisk) => {
    expect(checkRoot('/dev/shm', allowDisk)).toBeUndefined();
  });

  it('accepts a private directory on tmpfs', () => {
    expect(checkRoot(shm, false)).toBeUndefined();
  });

  it('rejects a disk directory unless disk is allowed', () => {
    expect(checkRoot(disk, false)).toBe('is not a tmpfs');
    expect(checkRoot(disk, true)).toBeUndefined();
  });

  it('rejects a symlink to a tmpfs directory', () => {
    const link = path.join(shm, 'link');
    fs.mkdirSync(path.join(shm, 'real'));
    fs.symlinkSync(path.join(shm, 'real'), link);

    expect(checkRoot(link, true)).toBe('is a symbolic link');
  });

  it.each([0o777, 0o770, 0o757])('rejects a directory with mode %o and no sticky bit', (mode) => {
    fs.chmodSync(shm, mode);

    expect(checkRoot(shm, false)).toBe('is writable by others without the sticky bit');
  });

  it('accepts a world-writable directory with the sticky bit', () => {
    fs.chmodSync(shm, 0o1777);

    expect(checkRoot(shm, false)).toBeUndefined();
  });

  it.each(['a,b', 'a"b', 'a\nb'])('rejects a path containing %j', (name) => {
    const dir = path.join(shm, name);
    fs.mkdirSync(dir);

    expect(checkRoot(dir, true)).toBe('contains a comma, a quote or a newline');
  });

  it('rejects a missing directory and a file', () => {
    fs.writeFileSync(path.join(shm, 'file'), '');

    expect(checkRoot(path.join(shm, 'missing'), true)).toBe('does not exist');
    expect(checkRoot(path.join(shm, 'file'), true)).toBe('is not a directory');
  });

  it.runIf(isRoot)('rejects a directory owned by another user', () => {
    fs.chownSync(shm, 4321, 4321);

    expect(checkRoot(shm, false)).toBe('is owned by another user');
  });

  it('chooses an explicit tmpfs root', () => {
    expect(chooseTempRoot({ env: {}, explicit: shm })).toEqual({
      path: shm,
      isTmpfs: true,
      passedOver: [],
    });
  });

  it('chooses XDG_RUNTIME_DIR before /dev/shm', () => {
    expect(chooseTempRoot({ env: { XDG_RUNTIME_DIR: shm } }).path).toBe(shm);
  });

  it('falls back to /dev/shm past an unusable XDG_RUNTIME_DIR', () => {
    fs.chmodSync(shm, 0o777);

    expect(chooseTempRoot({ env: { XDG_RUNTIME_DIR: shm } })).toEqual({
      path: '/dev/shm',
      isTmpfs: true,
      passedOver: [`${shm}: is writable by others without the sticky bit`],
    });
  });

  it('prefers a tmpfs over a disk XDG_RUNTIME_DIR even when disk is allowed', () => {
    const root = chooseTempRoot({ env: { XDG_RUNTIME_DIR: disk }, allowDisk: true });

    expect(root.path).toBe('/dev/shm');
    expect(root.passedOver).toEqual([`${disk}: is not a tmpfs`]);
  });

  it('refuses an explicit disk root, naming it and the way out', () => {
    const choose = () => chooseTempRoot({ env: {}, explicit: disk });

    expect(choose).toThrow(MaterializeError);
    expect(choose).toThrow(`${disk}: is not a tmpfs`);
    expect(choose).toThrow(/--allow-disk-secrets/);
  });

  it('accepts an explicit disk root when disk is allowed, and says it is not tmpfs', () => {
    expect(chooseTempRoot({ env: {}, explicit: disk, allowDisk: true })).toEqual({
      path: disk,
      isTmpfs: false,
      passedOver: [],
    });
  });

  it('never falls back from an unsafe explicit root to another one', () => {
    const link = path.join(shm, 'link');
    fs.symlinkSync(shm, link);

    expect(() => chooseTempRoot({ env: {}, explicit: link, allowDisk: true })).toThrow(
      /is a symbolic link/,
    );
  });

  it('gives the NO_TMPFS code when nothing is usable', () => {
    const comma = path.join(shm, 'a,b');
    fs.mkdirSync(comma);

    expect(() => chooseTempRoot({ env: {}, explicit: comma })).toThrow(
      expect.objectContaining({ code: 'NO_TMPFS', name: 'MaterializeError' }),
    );
  });
});
