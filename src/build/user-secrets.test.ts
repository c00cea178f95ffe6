import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Logger } from '../log.js';
import { Redactor } from '../redact/index.js';
import { readPassthrough } from './passthrough.js';
import { maskUserSecrets, streamedArgs } from './user-secrets.js';

const VALUE = 'user-given-secret-7d2e91';
const STREAMS = { readStreams: true, stdinTaken: false };

let dir: string;
let lines: string[];
let redactor: Redactor;
let logger: Logger;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-user-secrets-'));
  lines = [];
  redactor = new Redactor();
  const sink = { write: (text: string) => lines.push(text) };
  logger = new Logger({ level: 'debug', format: 'text', redactor, sink });
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function mask(args: string[], env: NodeJS.ProcessEnv = {}): void {
  maskUserSecrets(readPassthrough([...args, '.']).userSecrets, env, redactor, logger);
}

describe('maskUserSecrets', () => {
  it('masks the value of a --secret read from a file (src= or source=)', () => {
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, VALUE);

    mask(['--secret', `id=a,src=${file}`]);
    expect(redactor.redact(`got ${VALUE}`)).toBe('got ***');

    redactor = new Redactor();
    mask([`--secret=id=b,source=${file}`]);
    expect(redactor.redact(`got ${VALUE}`)).toBe('got ***');
  });

  it('masks a bare id read as a file, as buildx does when no variable has that name', () => {
    const file = path.join(dir, 'mine');
    fs.writeFileSync(file, VALUE);

    mask(['--secret', `id=${file}`]);

    expect(redactor.redact(VALUE)).toBe('***');
  });

  it.each([
    ['env=', ['--secret', 'id=a,env=TOKEN']],
    ['type=env with src=', ['--secret', 'type=env,id=a,src=TOKEN']],
    ['a bare id naming a set variable', ['--secret', 'id=TOKEN']],
  ])('masks the value of a --secret read from a variable: %s', (_label, args) => {
    mask(args, { TOKEN: VALUE });

    expect(redactor.redact(`got ${VALUE}`)).toBe('got ***');
  });

  it('masks nothing for an unset variable, and says so at debug level', () => {
    mask(['--secret', 'id=a,env=UNSET']);

    expect(redactor.maskCount).toBe(0);
    expect(lines.join('')).toContain('--secret id=a cannot be read here: not masked');
  });

  it('never reads from a FIFO (it would block) or a missing file', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);

    mask(['--secret', `id=a,src=${fifo}`, '--secret', `id=b,src=${path.join(dir, 'none')}`]);

    expect(redactor.maskCount).toBe(0);
  });

  it('reads a once-only source (a FIFO: `src=<(cmd)`), masks it, gives buildx a file', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `printf '%s' '${VALUE}' > '${fifo}'`]);
    const args = ['--secret', `id=mine,src=${fifo}`, '--secret=id=other,src=/nonexistent', '.'];
    const { userSecrets } = readPassthrough(args);

    const streamed = maskUserSecrets(userSecrets, {}, redactor, logger, STREAMS);
    const runDir = fs.mkdtempSync(path.join(dir, 'run-'));
    const rewritten = streamedArgs(args, streamed, runDir);
    writer.kill();

    expect(redactor.redact(VALUE)).toBe('***');
    const file = path.join(runDir, 'user-secrets', '0');
    expect(rewritten).toEqual([
      '--secret',
      `id=mine,src=${file}`,
      '--secret=id=other,src=/nonexistent',
      '.',
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe(VALUE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a stream larger than BuildKit takes', () => {
    const fifo = path.join(dir, 'big');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `head -c 600000 /dev/zero > '${fifo}'`]);
    const { userSecrets } = readPassthrough(['--secret', `id=big,src=${fifo}`, '.']);

    expect(() => maskUserSecrets(userSecrets, {}, redactor, logger, STREAMS)).toThrow(
      '--secret id=big: its source holds more than 512000 bytes',
    );
    writer.kill();
  });

  it('refuses a regular file larger than BuildKit takes, naming the id and the limit', () => {
    const file = path.join(dir, 'big');
    fs.writeFileSync(file, Buffer.alloc(512_001, 0x61));
    const edge = path.join(dir, 'edge');
    fs.writeFileSync(edge, Buffer.alloc(512_000, 0x62));

    expect(() => mask(['--secret', `id=big,src=${file}`])).toThrow(
      `--secret id=big: ${file} is 512001 bytes; BuildKit accepts at most 512000`,
    );
    mask(['--secret', `id=edge,src=${edge}`]);
    expect(redactor.maskCount).toBeGreaterThan(0);
  });

  it('masks both sources of a bare id: the set variable and the file of that name', () => {
    const cwd = process.cwd();
    const fromFile = 'stale-file-token-5a1c';
    fs.writeFileSync(path.join(dir, 'NPM_TOKEN'), fromFile);
    process.chdir(dir);
    try {
      mask(['--secret', 'id=NPM_TOKEN'], { NPM_TOKEN: VALUE });
    } finally {
      process.chdir(cwd);
    }

    expect(redactor.redact(`${VALUE} ${fromFile}`)).toBe('*** ***');
  });

  it('warns about a value too short to mask', () => {
    const file = path.join(dir, 'short');
    fs.writeFileSync(file, 'abc');

    mask(['--secret', `id=short,src=${file}`]);

    expect(lines.join('')).toContain('--secret id=short is too short to be masked');
  });
});
