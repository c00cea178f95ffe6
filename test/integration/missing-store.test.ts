// A store path that does not exist (a mistyped --store, a fresh machine) is an error for every
// command that reads the store, naming the path and exit 4, and creates nothing: no store file, no
// directory for it, no master key file. Only `secret set` creates the store, and its key with it.

import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createSandbox, runCli, setSecret, type Sandbox } from '../helpers/cli.js';

const ORG = ['--org', 'acme'];
const PROJECT = [...ORG, '--project', 'web'];

const READERS: [string, string[]][] = [
  ['secret list', ['secret', 'list', ...PROJECT]],
  ['secret list --json', ['secret', 'list', ...ORG, '--json']],
  ['secret resolve', ['secret', 'resolve', ...PROJECT]],
  ['secret resolve --user', ['secret', 'resolve', ...ORG, '--user', 'alice']],
  ['secret rm', ['secret', 'rm', 'TOKEN', ...ORG]],
  ['build', ['build', ...PROJECT, '--network=none', 'fixtures/demo']],
  ['build --dry-run', ['build', ...PROJECT, '--dry-run', 'fixtures/demo']],
  ['plan', ['plan', ...PROJECT, '--json', 'fixtures/demo']],
  ['exec', ['exec', ...PROJECT, '--', 'true']],
  [
    'devcontainer build',
    [
      'devcontainer',
      'build',
      ...PROJECT,
      '--workspace-folder',
      'fixtures/devcontainer-build/image',
    ],
  ],
  ['scan', ['scan', 'ona-build-missing-store:none', ...ORG]],
];

/** Every path under `dir`, relative to it, so a test sees anything a command left there. */
function tree(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('a store path that does not exist', () => {
  let sandbox: Sandbox;
  let mistyped: string;

  beforeEach(() => {
    sandbox = createSandbox();
    mistyped = path.join(sandbox.dir, 'mistyped', 'path.db');
  });

  afterEach(() => sandbox?.remove());

  const expectMissingStore = (run: { exitCode: number; stderr: string }, store: string) => {
    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.stderr).toContain(
      `secret store ${store} does not exist: it is created by the first \`ona-build secret set\``,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it.each(READERS)('fails %s with exit 4, naming it, and creates nothing', async (_, args) => {
    const before = tree(sandbox.dir);

    const run = await runCli(sandbox, ['--store', mistyped, ...args]);

    expectMissingStore(run, mistyped);
    expect(tree(sandbox.dir)).toEqual(before);
    expect(fs.existsSync(path.dirname(mistyped))).toBe(false);
    expect(fs.existsSync(sandbox.env.ONA_BUILD_KEY_FILE)).toBe(false);
  });

  it('fails a read of the default store on a new machine, creating no data directory', async () => {
    const env = { ONA_BUILD_STORE: '', ONA_BUILD_KEY_FILE: '' };
    const store = path.join(sandbox.env.HOME, '.local', 'share', 'ona-build', 'store.db');

    const run = await runCli(sandbox, ['secret', 'list', ...ORG], { env });

    expectMissingStore(run, store);
    expect(tree(sandbox.env.HOME)).toEqual([]);
  });

  it('fails a read of an existing store that is only an empty file, and leaves it so', async () => {
    fs.writeFileSync(sandbox.env.ONA_BUILD_STORE, '', { mode: 0o600 });
    await setSecret(sandbox, ['TOKEN', ...ORG, '--store', path.join(sandbox.dir, 'other.db')], 'x');

    const run = await runCli(sandbox, ['secret', 'list', ...ORG]);

    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.stderr).toContain(`secret store ${sandbox.env.ONA_BUILD_STORE} is empty`);
    expect(fs.statSync(sandbox.env.ONA_BUILD_STORE).size).toBe(0);
  });

  it('names an empty store file as the problem even when no key file exists yet', async () => {
    fs.writeFileSync(sandbox.env.ONA_BUILD_STORE, '', { mode: 0o600 });

    const run = await runCli(sandbox, ['secret', 'list', ...ORG]);

    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.stderr).toContain(`secret store ${sandbox.env.ONA_BUILD_STORE} is empty`);
    expect(fs.existsSync(sandbox.env.ONA_BUILD_KEY_FILE)).toBe(false);
  });

  it('is created by the first secret set, with its directory and key, then read', async () => {
    const value = 'first-use-value-5d1e';

    const set = await runCli(sandbox, ['secret', 'set', 'TOKEN', ...ORG, '--store', mistyped], {
      input: value,
    });
    const list = await runCli(sandbox, ['secret', 'list', ...ORG, '--store', mistyped]);

    expect(set.exitCode, set.stderr).toBe(0);
    expect(fs.statSync(mistyped).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(mistyped)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(sandbox.env.ONA_BUILD_KEY_FILE).mode & 0o777).toBe(0o600);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^organization acme +TOKEN +env +\$TOKEN$/m);
    for (const run of [set, list]) expect(run.raw.includes(value)).toBe(false);
  });

  it.each([
    ['store', '--store'],
    ['key file', '--key-file'],
  ])(
    'fails at once, exit 4, when the %s cannot have a directory (under /proc)',
    async (_, flag) => {
      const run = await runCli(
        sandbox,
        ['secret', 'set', 'TOKEN', ...ORG, flag, '/proc/ona-build-nope/file'],
        { input: 'value-123456', timeout: 20_000 },
      );

      expect(run.exitCode).toBe(4);
      expect(run.stderr).toMatch(
        /error: cannot use (secret store|master key file) \/proc\/ona-build-nope\/file: no such/,
      );
      expect(run.stderr).not.toContain('value-123456');
    },
  );

  it.each([
    [
      'below a regular file',
      (store: string) => fs.writeFileSync(path.dirname(store), ''),
      'a part of the path is not a directory',
    ],
    [
      'a dangling symbolic link',
      (store: string) => {
        fs.mkdirSync(path.dirname(store));
        fs.symlinkSync(path.join(sandbox.dir, 'gone'), store);
      },
      'is a symbolic link to a missing file',
    ],
  ])('makes no key file for a store that cannot be made: %s', async (_label, plant, why) => {
    const store = path.join(sandbox.dir, 'planted', 'store.db');
    plant(store);

    const run = await runCli(sandbox, ['secret', 'set', 'TOKEN', ...ORG, '--store', store], {
      input: 'value-123456',
    });

    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain(why);
    expect(fs.existsSync(sandbox.env.ONA_BUILD_KEY_FILE)).toBe(false);
  });

  it.each([
    ['a reserved name', ['HOME', ...ORG]],
    ['a relative mount path', ['cfg', ...ORG, '--mount', 'relative/path']],
  ])('creates nothing when secret set refuses %s', async (_, args) => {
    const before = tree(sandbox.dir);

    const run = await runCli(sandbox, ['--store', mistyped, 'secret', 'set', ...args], {
      input: 'value-123456',
    });

    expect(run.exitCode).toBe(3);
    expect(tree(sandbox.dir)).toEqual(before);
    expect(fs.existsSync(sandbox.env.ONA_BUILD_KEY_FILE)).toBe(false);
  });

  it('fails doctor on the store, creating nothing', async () => {
    const before = tree(sandbox.dir);

    const run = await runCli(sandbox, ['doctor', '--store', mistyped]);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /^FAIL +store +secret store .*\/mistyped\/path\.db does not exist: /m,
    );
    expect(run.stdout).toMatch(/^ok +key +.*created when the first secret is stored/m);
    expect(tree(sandbox.dir)).toEqual(before);
  });
});
