// tty progress wraps a long output line into rows of the terminal's width; a secret cut into
// three or more rows would show whole, no row holding enough of it to be masked. So with a secret
// that long, an asked-for tty display is refused, and `auto` at a terminal shows plain progress.

import { randomBytes } from 'node:crypto';

import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBuildSandbox, ORG, PROJECT, type BuildSandbox } from '../helpers/build-sandbox.js';
import { leftovers } from '../helpers/canary.js';
import { CLI, REPO_ROOT, runCli, setSecret } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';

// 180 bytes: three rows of a step's output at 80 columns.
const LONG = `long-${randomBytes(120).toString('base64url')}`.slice(0, 180);

describe.runIf(requireEngine())('tty progress and long secrets', () => {
  let sandbox: BuildSandbox;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
    await setSecret(sandbox, ['long_token', ...ORG], LONG);
  });

  afterAll(() => sandbox?.remove());

  const args = () => [
    'build',
    ...PROJECT,
    '--network=none',
    '--build-arg',
    `NONCE=${Date.now()}-${Math.random()}`,
    'fixtures/long-secret',
  ];

  it('refuses an asked-for tty display (exit 2) before building', async () => {
    const run = await runCli(sandbox, [...args(), '--progress=tty']);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('a secret is too long for tty progress at 80 columns');
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('shows plain progress at an 80-column terminal, with no piece of the value', async () => {
    // script gives the CLI a terminal of 80 columns for its stderr, as a user's would be.
    const command = ['stty cols 80 rows 30;', process.execPath, CLI, ...args()].join(' ');
    const run = await execa('script', ['-qefc', command, '/dev/null'], {
      env: { ...sandbox.env, TERM: 'xterm' },
      extendEnv: false,
      cwd: REPO_ROOT,
      reject: false,
    });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain('showing plain progress');
    expect(run.stdout).toMatch(/^#\d+ [\d.]+ \*\*\*\r?$/m);
    expect(run.stdout).toContain('after-long');
    for (let at = 0; at + 24 <= LONG.length; at += 12) {
      expect(run.stdout).not.toContain(LONG.slice(at, at + 24));
    }
  });
});
