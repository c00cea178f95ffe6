// Usage mistakes change nothing and leak nothing: a mistyped flag, a value typed on the command
// line, a bad --type or a missing --org all stop with exit 2 before the command runs.

import path from 'node:path';

import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSandbox, REPO_ROOT, runCli, setSecret, type Sandbox } from '../helpers/cli.js';

describe('usage errors', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = createSandbox();
    await setSecret(sandbox, ['NPM_TOKEN', '--org', 'acme'], 'org-value-1234');
    await setSecret(sandbox, ['NPM_TOKEN', '--org', 'acme', '--project', 'web'], 'proj-value-1234');
  });

  afterAll(() => sandbox.remove());

  const listing = async () =>
    (await runCli(sandbox, ['secret', 'list', '--org', 'acme', '--project', 'web'])).stdout;

  it.each([
    [['secret', 'rm', 'NPM_TOKEN', '--org', 'acme', '--projet', 'web'], 'unknown option --projet'],
    [['secret', 'set', 'NPM_TOKEN', '--org', 'acme', '--projet', 'web'], 'unknown option --projet'],
    [['secret', 'set', 'X1', '--org', 'acme', '--type', 'bogus'], 'invalid value for --type'],
    [
      ['secret', 'set', 'X1', '--org', 'acme', '--mount', '/a', '--registry', 'r.io'],
      'give --mount (a file secret) or --registry (a registry secret), not both',
    ],
    [['secret', 'set', 'FOO'], 'Missing required argument: org'],
    [['exec', '--org', 'acme', '--', 'sh', '-c', 'echo ran'], 'Missing required argument: project'],
    [['build', '--project', 'web', '.'], 'Missing required argument: org'],
    [['--log-level', 'bogus', 'gc'], 'invalid value for --log-level'],
    [['secret', 'list', '--org', 'acme', '--org', 'hunter2x'], '--org was given more than once'],
    [['secret'], 'name a secret command: set, list, rm or resolve'],
    [
      ['build', '--org', 'acme', '--project', 'web', '--progress=rawjson', 'fixtures/bench'],
      'rawjson progress cannot be redacted reliably',
    ],
    [['secret', 'frob'], 'unknown secret command (not repeated here): name one of set, list'],
    [
      ['secret', 'set', 'X1', '--org', 'acme', '--identity-token'],
      '--identity-token only applies to registry secrets',
    ],
    [
      ['secret', 'set', 'X1', '--org', 'acme', '--mount', '/x', '--identity-token'],
      '--identity-token only applies to registry secrets',
    ],
    [['biuld', '--org', 'acme', '.'], 'unknown command (not repeated here): name one of secret'],
    [['secret', 'list', '--org', 'acme', '--store'], '--store needs a file'],
    [['gc', '--tmpdir', '/nonexistent/dir'], '--tmpdir /nonexistent/dir is not a directory'],
    [['build', '--org', 'acme', '--project', 'web', '--tmpdir', '', '.'], '--tmpdir needs a'],
    [
      ['build', '--org', 'acme', '--project', 'web', '--user', 'ana', '.'],
      '--user: builds get organization and project secrets only',
    ],
    [
      ['secret', 'set', 'reg', '--org', 'acme', '--registry', 'http://x/../y', '--username', 'u'],
      'give HOST or HOST:PORT, no path',
    ],
    [
      [
        'secret',
        'set',
        'reg',
        '--org',
        'acme',
        '--registry',
        'https://ci:hunter2x@r.io',
        '--username',
        'u',
      ],
      'invalid registry host (not repeated here: it holds user@ or user:password@)',
    ],
    [['secret', 'set', 'X1', '--org', 'hunter2x pw'], 'invalid organization name (not repeated'],
    [['secret', 'list', '--org', 'acme', '--project', 'a/hunter2x'], 'invalid project name'],
    [['secret', 'rm', 'NPM_TOKEN', '--org', 'acme', '--user', '..'], 'invalid user name ".."'],
    [['build', '--org', 'acme', '--project', 'hunter2x,', '.'], 'invalid project name (not'],
  ])('%j stops with exit 2 and changes nothing', async (args, message) => {
    const before = await listing();

    const run = await runCli(sandbox, args, { input: 'new-value-5678' });

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('hunter2x');
    expect(run.stdout).not.toContain('ran');
    expect(await listing()).toBe(before);
  });

  it.each([[['-h']], [['build', '-h']], [['secret', 'set', '--help']]])(
    '%j prints usage and exits 0',
    async (args) => {
      const run = await runCli(sandbox, args);

      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('Options:');
      expect(run.stdout).toContain('ona-build');
    },
  );

  it('reports a usage error as a JSON line with --log-format json', async () => {
    const run = await runCli(sandbox, ['--log-format', 'json', 'build', '--org', 'acme', '.']);

    expect(run.exitCode).toBe(2);
    const entry = JSON.parse(run.stderr) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'error' });
    expect(entry.message).toContain('Missing required argument: project');
  });

  it('never takes or repeats a value typed after --', async () => {
    const run = await runCli(
      sandbox,
      ['secret', 'set', 'FOO', '--org', 'acme', '--', 'hunter2secret'],
      {
        input: 'from-stdin-1234',
      },
    );

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('1 unexpected argument');
    expect(run.raw.includes('hunter2secret')).toBe(false);
    expect(await listing()).not.toContain('FOO');
  });

  it('never repeats a value typed on the command line', async () => {
    const run = await runCli(sandbox, ['secret', 'set', 'FOO', 'hunter2secret', '--org', 'acme'], {
      input: '',
    });

    expect(run.exitCode).toBe(2);
    expect(run.raw.includes('hunter2secret')).toBe(false);
    expect(await listing()).not.toContain('FOO');
  });

  it.each(['de_DE.UTF-8', 'fr_FR.UTF-8', 'ja_JP.UTF-8'])(
    'never repeats a stray word under LANG=%s, bundled or not',
    async (lang) => {
      const args = ['gc', 'hunter2secret'];
      const env = { LANG: lang, LC_ALL: lang };
      const unbundled = await execa(
        process.execPath,
        [path.join(REPO_ROOT, 'dist/cli/entry.js'), ...args],
        {
          env: { ...sandbox.env, ...env },
          extendEnv: false,
          reject: false,
        },
      );
      const bundled = await runCli(sandbox, args, { env });

      for (const run of [unbundled, bundled]) {
        expect(run.exitCode).toBe(2);
        expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2secret');
        expect(run.stderr).toContain('1 unexpected argument');
      }
    },
  );
});
