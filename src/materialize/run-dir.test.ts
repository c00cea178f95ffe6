import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { MaterializeError } from '../errors.js';
import {
  BUILDER_FILE,
  createRunDir,
  ownerStamp,
  RUN_DIR_PREFIX,
  writeFileExclusive,
} from './run-dir.js';

let root: string;
let outside: string;

beforeEach(() => {
  root = fs.mkdtempSync('/dev/shm/run-dir-test-');
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'run-dir-test-outside-'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('createRunDir', () => {
  it('creates a 0700 directory named ona-build-<pid>-<random> in the root', () => {
    const run = createRunDir(root);
    const stat = fs.lstatSync(run.path);

    expect(path.dirname(run.path)).toBe(root);
    expect(path.basename(run.path)).toMatch(new RegExp(`^${RUN_DIR_PREFIX}${process.pid}-\\w{6}$`));
    expect(stat.isDirectory()).toBe(true);
    expect(stat.mode & 0o7777).toBe(0o700);
    expect(stat.uid).toBe(process.getuid?.());
  });

  it('gives each run a different directory', () => {
    expect(createRunDir(root).path).not.toBe(createRunDir(root).path);
  });

  it('records the owner pid and start time in a private .owner file', () => {
    const run = createRunDir(root);
    const owner = path.join(run.path, '.owner');

    expect(fs.readFileSync(owner, 'utf8')).toBe(ownerStamp(process.pid));
    expect(fs.readFileSync(owner, 'utf8')).toMatch(new RegExp(`^${process.pid} \\d+$`));
    expect(fs.statSync(owner).mode & 0o777).toBe(0o600);
  });

  it("records the builder's pid and start time once, in a private file", () => {
    const run = createRunDir(root);
    const file = path.join(run.path, BUILDER_FILE);

    run.recordBuilder(process.pid);

    expect(fs.readFileSync(file, 'utf8')).toBe(ownerStamp(process.pid));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(() => run.recordBuilder(process.pid)).toThrow(MaterializeError);
  });

  it('fails with a MaterializeError when the root does not exist', () => {
    expect(() => createRunDir(path.join(root, 'missing'))).toThrow(MaterializeError);
  });

  it('removes everything it holds, and can be removed twice', () => {
    const run = createRunDir(root);
    fs.mkdirSync(path.join(run.path, 'secrets'));
    writeFileExclusive(path.join(run.path, 'secrets', '0'), Buffer.from('v'));

    run.remove();
    run.remove();

    expect(fs.existsSync(run.path)).toBe(false);
  });

  it('does not follow a symlink planted inside the run dir when removing it', () => {
    const run = createRunDir(root);
    const victim = path.join(outside, 'keep.txt');
    fs.writeFileSync(victim, 'precious');
    fs.symlinkSync(outside, path.join(run.path, 'dir-link'));
    fs.symlinkSync(victim, path.join(run.path, 'file-link'));

    run.remove();

    expect(fs.existsSync(run.path)).toBe(false);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
  });
});

describe('writeFileExclusive', () => {
  const stored = [
    [
      'a PEM block ending in two newlines',
      Buffer.from('-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n\n'),
    ],
    ['six bytes with no newline', Buffer.from('abc123')],
    ['CRLF line endings', Buffer.from('a=1\r\nb=2\r\n')],
    ['binary bytes', Buffer.from([0, 255, 10, 13, 0x80])],
    ['an empty value', Buffer.alloc(0)],
    ['512000 bytes', Buffer.alloc(512_000, 'x')],
  ] as const;

  it.each(stored)('writes %s byte for byte', (_label, data) => {
    const file = path.join(root, 'secret');

    writeFileExclusive(file, data);

    expect(fs.readFileSync(file)).toEqual(data);
  });

  it('creates the file with mode 0600', () => {
    const file = path.join(root, 'secret');

    writeFileExclusive(file, Buffer.from('v'));

    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('gives the mode at creation, exclusively and not through a link: no chmod window', () => {
    const file = path.join(root, 'secret');
    const open = vi.spyOn(fs, 'openSync');
    const chmods = [vi.spyOn(fs, 'chmodSync'), vi.spyOn(fs, 'fchmodSync')];

    try {
      writeFileExclusive(file, Buffer.from('v'));

      const { O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
      const required = O_CREAT | O_EXCL | O_NOFOLLOW;
      expect(open).toHaveBeenCalledTimes(1);
      const [opened, flags, mode] = open.mock.calls[0];
      expect([opened, Number(flags) & required, mode]).toEqual([file, required, 0o600]);
      for (const chmod of chmods) expect(chmod).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('refuses a file that already exists and leaves it as it was', () => {
    const file = path.join(root, 'secret');
    fs.writeFileSync(file, 'planted', { mode: 0o644 });

    expect(() => writeFileExclusive(file, Buffer.from('value'))).toThrow(MaterializeError);
    expect(() => writeFileExclusive(file, Buffer.from('value'))).toThrow(/EEXIST/);
    expect(fs.readFileSync(file, 'utf8')).toBe('planted');
  });

  it('refuses a pre-planted symlink to an existing file and does not write through it', () => {
    const target = path.join(outside, 'owned-by-attacker');
    const file = path.join(root, 'secret');
    fs.writeFileSync(target, 'original');
    fs.symlinkSync(target, file);

    expect(() => writeFileExclusive(file, Buffer.from('value'))).toThrow(MaterializeError);
    expect(fs.readFileSync(target, 'utf8')).toBe('original');
  });

  it('refuses a dangling symlink and does not create its target', () => {
    const target = path.join(outside, 'would-be-created');
    const file = path.join(root, 'secret');
    fs.symlinkSync(target, file);

    expect(() => writeFileExclusive(file, Buffer.from('value'))).toThrow(MaterializeError);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('names the file but not the value when it fails', () => {
    const file = path.join(root, 'missing-dir', 'secret');

    expect(() => writeFileExclusive(file, Buffer.from('CANARY-value'))).toThrow(
      expect.objectContaining({
        code: 'WRITE',
        message: expect.not.stringContaining('CANARY') as unknown,
      }),
    );
    expect(() => writeFileExclusive(file, Buffer.from('CANARY-value'))).toThrow(file);
  });
});

describe('ownerStamp', () => {
  it('stamps a live process with its pid and start time', () => {
    expect(ownerStamp(process.pid)).toMatch(new RegExp(`^${process.pid} \\d+$`));
  });

  it('is stable for the same process', () => {
    expect(ownerStamp(process.pid)).toBe(ownerStamp(process.pid));
  });

  it('tells a different process apart', () => {
    expect(ownerStamp(1)).not.toBe(ownerStamp(process.pid));
  });

  it('is undefined for a pid that does not exist', () => {
    expect(ownerStamp(2 ** 22 + 1)).toBeUndefined();
  });
});
