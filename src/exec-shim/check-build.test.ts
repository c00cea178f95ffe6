import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { OnaBuildError } from '../errors.js';
import { Logger } from '../log.js';
import { Redactor } from '../redact/index.js';
import { thrownBy } from '../test-support/thrown-by.js';
import { checkShimBuild, writeCheckManifest } from './check-build.js';

const TOKEN = 'npm_exec_check_value_5d2e';
const PASSWORD = 'registry-password-77aa1';

let dir: string;
let runDir: string;
let keyFile: string;
let lines: string[];

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ona-exec-check-')));
  runDir = path.join(dir, 'shm', 'ona-build-1-AbCdEf');
  fs.mkdirSync(path.join(runDir, 'secrets'), { recursive: true });
  fs.mkdirSync(path.join(runDir, 'docker-config'));
  fs.mkdirSync(path.join(dir, 'ctx'));
  fs.mkdirSync(path.join(dir, 'state'));
  keyFile = path.join(dir, 'state', 'master.key');
  fs.writeFileSync(keyFile, 'a-key');
  fs.writeFileSync(path.join(runDir, 'secrets', '0'), TOKEN);
  const auth = Buffer.from(`ci:${PASSWORD}`).toString('base64');
  fs.writeFileSync(
    path.join(runDir, 'docker-config', 'config.json'),
    JSON.stringify({ auths: { 'localhost:5000': { auth } } }),
  );
  writeCheckManifest(runDir, {
    secretFiles: [{ id: 'NPM_TOKEN', file: path.join(runDir, 'secrets', '0') }],
    dockerConfig: path.join(runDir, 'docker-config'),
    own: { tempRoot: path.join(dir, 'shm'), keyFile },
  });
  lines = [];
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function check(args: string[], env: NodeJS.ProcessEnv = {}): void {
  const sink = { write: (text: string) => lines.push(text) };
  const logger = new Logger({ level: 'info', format: 'text', redactor: new Redactor(), sink });
  checkShimBuild(runDir, args, env, logger);
}

const thrown = (run: () => void) => thrownBy(run, OnaBuildError);

describe('checkShimBuild', () => {
  it('lets an ordinary build through', () => {
    expect(() => check(['-t', 'app:1', '--build-arg', 'V=1', path.join(dir, 'ctx')])).not.toThrow();
    expect(lines).toEqual([]);
  });

  it.each([
    [['--build-arg', `HIDDEN=${TOKEN}`, '.'], 'the value of --build-arg'],
    [[`--label=pw=${PASSWORD}`, '.'], 'the value of --label'],
    [['-t', `app:${Buffer.from(TOKEN).toString('base64')}`, '.'], 'the value of -t'],
  ])('refuses %j, which carries a stored value (exit 3)', (args, what) => {
    const error = thrown(() => check(args));

    expect(error.exitCode).toBe(3);
    expect(error.message).toContain(`in a build the command runs, ${what} carries the value`);
    expect(error.message).not.toContain(TOKEN);
  });

  it('refuses a bare --build-arg whose variable holds a stored value', () => {
    const error = thrown(() => check(['--build-arg', 'HIDDEN', '.'], { HIDDEN: TOKEN }));

    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('build argument HIDDEN takes the value of the variable');
  });

  it('refuses a context holding the master key (exit 4) and -f naming it (exit 5)', () => {
    expect(thrown(() => check([path.join(dir, 'state')])).exitCode).toBe(4);
    expect(thrown(() => check(['-f', keyFile, path.join(dir, 'ctx')])).exitCode).toBe(5);
  });

  it('says a directory without its manifest is no exec run (exit 5), with no stack trace', () => {
    fs.rmSync(path.join(runDir, 'exec-check.json'));

    const error = thrown(() => check(['.']));

    expect(error.exitCode).toBe(5);
    expect(error.message).toContain(`exec-check: ${runDir} holds no readable exec-check.json`);
  });

  it('checks every word that may be the context when it cannot tell which is', () => {
    const ctx = path.join(dir, 'ctx');

    expect(() => check([ctx, path.join(dir, 'other')])).not.toThrow();
    // --unknown-flag takes a value this does not know: two words, either may be the context.
    expect(thrown(() => check(['--unknown-flag', ctx, path.join(dir, 'state')])).exitCode).toBe(4);
    expect(thrown(() => check(['--unknown-flag', 'x', '-f', keyFile, ctx])).exitCode).toBe(5);
  });
});
