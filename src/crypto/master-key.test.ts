import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { StoreError } from '../errors.js';
import { loadMasterKey } from './master-key.js';
import { thrownBy } from '../test-support/thrown-by.js';

const fixtures = fileURLToPath(new URL('../secrets/store/__fixtures__/', import.meta.url));

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-build-key-'));
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeKeyFile(content: string, mode = 0o600): string {
  const keyFile = path.join(dir, 'master.key');
  fs.writeFileSync(keyFile, content, { mode });
  fs.chmodSync(keyFile, mode);
  return keyFile;
}

const thrown = (load: () => unknown) => thrownBy(load, StoreError);

describe('loadMasterKey from ONA_BUILD_MASTER_KEY', () => {
  it('decodes a base64 key of 32 bytes and ignores the key file', () => {
    const key = randomBytes(32);
    const keyFile = writeKeyFile(`${randomBytes(32).toString('base64')}\n`);

    const loaded = loadMasterKey({
      env: { ONA_BUILD_MASTER_KEY: key.toString('base64') },
      keyFile,
      create: true,
    });

    expect(loaded.equals(key)).toBe(true);
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['text that is not base64', `${'not base64 at all!'.repeat(2)}zzzzzzzz=`],
    ['hex instead of base64', randomBytes(32).toString('hex')],
    ['an empty value', ''],
  ])('rejects %s without echoing it or creating a key file', (_, value) => {
    const keyFile = path.join(dir, 'master.key');

    const error = thrown(() =>
      loadMasterKey({ env: { ONA_BUILD_MASTER_KEY: value }, keyFile, create: true }),
    );

    expect(error.message).toBe('ONA_BUILD_MASTER_KEY must be base64 of exactly 32 bytes');
    expect(error.code).toBe('MASTER_KEY');
    expect(fs.existsSync(keyFile)).toBe(false);
  });
});

describe('loadMasterKey from the key file', () => {
  it('creates a missing key file with mode 0600 in a new 0700 directory and reuses it', () => {
    const keyFile = path.join(dir, 'config', 'ona-build', 'master.key');

    const created = loadMasterKey({ env: {}, keyFile, create: true });
    const reused = loadMasterKey({ env: {}, keyFile, create: false });

    expect(created).toHaveLength(32);
    expect(reused.equals(created)).toBe(true);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(keyFile)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(`${created.toString('base64')}\n`);
    expect(fs.readdirSync(path.dirname(keyFile))).toEqual(['master.key']);
  });

  it.each([
    ['with a trailing newline', '\n'],
    ['without a trailing newline', ''],
    ['with a CRLF line ending', '\r\n'],
  ])('reads a key file %s', (_, ending) => {
    const key = randomBytes(32);
    const keyFile = writeKeyFile(`${key.toString('base64')}${ending}`);

    expect(loadMasterKey({ env: {}, keyFile, create: false }).equals(key)).toBe(true);
  });

  it('makes no new key for a store that exists: its key is elsewhere', () => {
    const keyFile = path.join(dir, 'typo', 'master.key');

    const error = thrown(() =>
      loadMasterKey({ env: {}, keyFile, create: true, existingStore: '/s/store.db' }),
    );

    expect(error.message).toContain(`master key file ${keyFile} does not exist`);
    expect(error.message).toContain('secret store /s/store.db does');
    expect(fs.existsSync(path.dirname(keyFile))).toBe(false);
  });

  it('names the path when the key file is missing and may not be created', () => {
    const keyFile = path.join(dir, 'missing.key');

    const error = thrown(() => loadMasterKey({ env: {}, keyFile, create: false }));

    expect(error.message).toContain(keyFile);
    expect(error.code).toBe('MASTER_KEY');
    expect(fs.existsSync(keyFile)).toBe(false);
  });

  it.each([0o640, 0o604, 0o660, 0o620])('refuses a key file with mode %o', (mode) => {
    const keyFile = writeKeyFile(`${randomBytes(32).toString('base64')}\n`, mode);

    const error = thrown(() => loadMasterKey({ env: {}, keyFile, create: true }));

    expect(error.message).toContain(`chmod 600 ${keyFile}`);
  });

  it.runIf(process.getuid?.() === 0)("refuses another user's key file, whatever its mode", () => {
    const keyFile = writeKeyFile(`${randomBytes(32).toString('base64')}\n`);
    fs.chownSync(keyFile, 65534, 65534);

    const error = thrown(() => loadMasterKey({ env: {}, keyFile, create: true }));

    expect(error.message).toContain('belongs to another user (uid 65534)');
  });

  it('refuses a key file that is a directory', () => {
    const keyFile = path.join(dir, 'master.key');
    fs.mkdirSync(keyFile, { mode: 0o700 });

    const error = thrown(() => loadMasterKey({ env: {}, keyFile, create: true }));

    expect(error.message).toBe(`master key file ${keyFile} is not a regular file`);
  });

  it('refuses a FIFO at the key file path without blocking', () => {
    const keyFile = path.join(dir, 'master.key');
    execFileSync('mkfifo', ['-m', '600', keyFile]);

    const error = thrown(() => loadMasterKey({ env: {}, keyFile, create: true }));

    expect(error.message).toBe(`master key file ${keyFile} is not a regular file`);
  });

  it('rejects a key file of the wrong length without echoing its content', () => {
    const content = randomBytes(24).toString('base64');
    const keyFile = writeKeyFile(`${content}\n`);

    const error = thrown(() => loadMasterKey({ env: {}, keyFile, create: true }));

    expect(error.message).toBe(`master key file ${keyFile} must hold base64 of exactly 32 bytes`);
    expect(error.message).not.toContain(content);
  });

  it('uses the key of a process that created the key file first', () => {
    const keyFile = path.join(dir, 'master.key');
    const winner = randomBytes(32);
    const link = fs.linkSync.bind(fs);
    // The other process publishes its key between our check for the file and our link().
    vi.spyOn(fs, 'linkSync').mockImplementationOnce((existing, target) => {
      writeKeyFile(`${winner.toString('base64')}\n`);
      link(existing, target);
    });

    const loaded = loadMasterKey({ env: {}, keyFile, create: true });

    expect(loaded.equals(winner)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['master.key']);
  });

  it('gives every process racing to create the key file the same key', async () => {
    const keyFile = path.join(dir, 'race', 'master.key');
    const run = promisify(execFile);
    const args = ['--import', `${fixtures}register-ts.js`, `${fixtures}load-key.js`, keyFile];

    const results = await Promise.all(Array.from({ length: 4 }, () => run(process.execPath, args)));

    const digests = new Set(results.map((result) => result.stdout));
    expect(digests.size).toBe(1);
    expect(fs.readdirSync(path.dirname(keyFile))).toEqual(['master.key']);
  }, 60_000);
});
