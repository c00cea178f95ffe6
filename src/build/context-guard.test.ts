import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { OnaBuildError } from '../errors.js';
import { Logger } from '../log.js';
import { Redactor } from '../redact/index.js';
import { localContexts, refuseOwnFilesInContexts, type OwnFiles } from './context-guard.js';
import { readPassthrough } from './passthrough.js';
import { thrownBy } from '../test-support/thrown-by.js';

let dir: string;
let lines: string[];
let logger: Logger;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-context-guard-'));
  fs.mkdirSync(path.join(dir, 'ctx'));
  lines = [];
  const sink = { write: (text: string) => lines.push(text) };
  logger = new Logger({ level: 'info', format: 'text', redactor: new Redactor(), sink });
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function check(args: string[], own: Partial<OwnFiles>): void {
  const files = { tempRoot: path.join(dir, 'shm'), ...own };
  refuseOwnFilesInContexts(readPassthrough(args), args, files, logger);
}

const thrown = (run: () => void) => thrownBy(run, OnaBuildError);

describe('localContexts', () => {
  it('lists the local context and the local named contexts, not images or URLs', () => {
    const args = [
      '--build-context',
      'src=../src',
      '--build-context=base=docker-image://alpine:3',
      '--build-context',
      'layout=oci-layout:///tmp/layout',
      '--build-context',
      'git=https://github.com/x/y.git',
      '.',
    ];

    expect(localContexts(readPassthrough(args), args)).toEqual(['.', '../src']);
  });

  it.each([['https://github.com/x/y.git'], ['git@github.com:x/y.git'], ['-']])(
    'has none for the remote or stdin context %s',
    (context) => {
      expect(localContexts(readPassthrough([context]), [context])).toEqual([]);
    },
  );

  it('counts a named context shaped like an address of no known kind as a directory', () => {
    const args = ['--build-context', 'k=x:/tmp/state', '--build-context', 't=target:base', '.'];

    expect(localContexts(readPassthrough(args), args)).toEqual(['.', 'x:/tmp/state']);
  });
});

describe('refuseOwnFilesInContexts', () => {
  const ctx = () => path.join(dir, 'ctx');

  it('refuses a temp root inside the build context (exit 5), naming both', () => {
    const tempRoot = path.join(ctx(), 'tmp');

    const error = thrown(() => check([ctx()], { tempRoot }));

    expect(error.exitCode).toBe(5);
    expect(error.message).toContain(`(${tempRoot}) is inside the build context ${ctx()}`);
  });

  it('refuses a temp root inside a named build context, reached through a link', () => {
    fs.mkdirSync(path.join(dir, 'other', 'tmp'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'other'), path.join(dir, 'link'));
    const args = ['--build-context', `extra=${path.join(dir, 'link')}`, ctx()];

    expect(() => check(args, { tempRoot: path.join(dir, 'other', 'tmp') })).toThrow(
      /is inside the build context/,
    );
  });

  it('refuses a master key file inside the context (exit 4)', () => {
    const keyFile = path.join(ctx(), 'master.key');
    fs.writeFileSync(keyFile, 'a-key');

    const error = thrown(() => check([ctx()], { keyFile }));

    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(`master key file ${keyFile} is inside the build context`);
  });

  it.each([
    ['a link, then ..', false],
    ['a link, then .., with a decoy of that name beside the link', true],
  ])('follows a context as the kernel does through %s, finding the key', (_label, decoy) => {
    const data = path.join(dir, 'state', 'data');
    const keyFile = path.join(data, 'master.key');
    fs.mkdirSync(path.join(dir, 'state', 'sub'), { recursive: true });
    fs.mkdirSync(data);
    fs.writeFileSync(keyFile, 'a-key');
    fs.mkdirSync(path.join(dir, 'deep', 'here'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'state', 'sub'), path.join(dir, 'deep', 'here', 'l'));
    if (decoy) fs.mkdirSync(path.join(dir, 'deep', 'here', 'data'));
    // As text, deep/here/l/../data is deep/here/data; the kernel reaches state/data.
    const context = path.join(dir, 'deep', 'here', 'l') + '/../data';

    const error = thrown(() => check([context], { keyFile }));

    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(`master key file ${keyFile} is inside the build context`);
  });

  it.each(['https:/h', 'git@x', 'github.com'])(
    'takes %s for the local directory it is, as buildx does, finding the key in it',
    (name) => {
      const keyFile = path.join(dir, 'state', 'master.key');
      fs.mkdirSync(path.join(dir, 'state'));
      fs.writeFileSync(keyFile, 'a-key');
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.symlinkSync(path.join(dir, 'state'), path.join(dir, name));
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        expect(thrown(() => check([name], { keyFile })).exitCode).toBe(4);
      } finally {
        process.chdir(cwd);
      }
    },
  );

  it('refuses -f naming the key file with a remote context: buildx reads -f from disk', () => {
    const keyFile = path.join(dir, 'master.key');
    fs.writeFileSync(keyFile, 'a-key');

    const error = thrown(() => check(['-f', keyFile, 'https://example.com/app.git'], { keyFile }));

    expect(error.exitCode).toBe(5);
  });

  it('warns about another hard link to the key file, which no path check finds', () => {
    const keyFile = path.join(dir, 'master.key');
    fs.writeFileSync(keyFile, 'a-key');
    fs.linkSync(keyFile, path.join(ctx(), 'innocent.txt'));

    check([ctx()], { keyFile });

    expect(lines.join('')).toContain(
      `warn: the master key file ${keyFile} has another hard link: a build context holding one ` +
        'could copy the key into the image',
    );
  });

  it('lets a key path inside the context through when no file is there (the key is in env)', () => {
    check([ctx()], { keyFile: path.join(ctx(), 'master.key') });

    expect(lines).toEqual([]);
  });

  it.each([
    ['the master key file', 'keyFile'],
    ['the store', 'store'],
  ] as const)('refuses -f naming %s, whose lines the builder would print', (_label, which) => {
    const file = path.join(dir, 'state', 'file');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'not a Dockerfile');

    const error = thrown(() => check(['-f', file, ctx()], { [which]: file }));

    expect(error.exitCode).toBe(5);
    expect(error.message).toContain(`the Dockerfile ${file} is one of ona-build's own files`);
  });

  it("refuses -f naming a file in a run directory, and takes one of the user's beside them", () => {
    const runDir = path.join(dir, 'shm', 'ona-build-4242-AbC123');
    fs.mkdirSync(runDir, { recursive: true });
    const secretFile = path.join(runDir, 'NPM_TOKEN');
    const users = path.join(dir, 'shm', 'Dockerfile.mine');
    fs.writeFileSync(secretFile, 'npm_value');
    fs.writeFileSync(users, 'FROM scratch\n');

    const error = thrown(() => check(['-f', secretFile, ctx()], {}));

    expect(error.message).toContain(`the Dockerfile ${secretFile} is one of ona-build's own`);
    expect(() => check(['-f', users, ctx()], {})).not.toThrow();
  });

  it('takes a context that looks like a URL of no remote kind (x://tmp) for the path it is', () => {
    fs.mkdirSync(path.join(dir, 'x:'));
    fs.symlinkSync(dir, path.join(dir, 'x:', 'tmp'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(() => check(['x://tmp'], { tempRoot: path.join(dir, 'shm') })).toThrow(
        /is inside the build context x:\/\/tmp/,
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it('warns about a store inside the context, and builds', () => {
    check([ctx()], { store: path.join(ctx(), 'store.db') });

    expect(lines.join('')).toContain(`warn: the secret store ${path.join(ctx(), 'store.db')}`);
  });

  it('refuses a store directory holding the fingerprint key inside the context (exit 4)', () => {
    fs.writeFileSync(path.join(ctx(), 'fingerprint.key'), 'k');

    const error = thrown(() => check([ctx()], { store: path.join(ctx(), 'store.db') }));

    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(`the fingerprint key ${path.join(ctx(), 'fingerprint.key')}`);
  });

  it('lets through files beside the context', () => {
    const beside = path.join(dir, 'state');

    check([ctx()], {
      tempRoot: path.join(beside, 'tmp'),
      keyFile: path.join(beside, 'master.key'),
      store: path.join(beside, 'store.db'),
    });

    expect(lines).toEqual([]);
  });

  it('counts a directory in the context whose name starts with .. as inside it', () => {
    expect(() => check([ctx()], { tempRoot: path.join(ctx(), '..hidden', 'tmp') })).toThrow(
      /is inside the build context/,
    );
  });
});
