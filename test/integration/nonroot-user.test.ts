// C02 on the real engine: a non-root USER reads a secret mount only when the mount sets its
// owner; otherwise the build fails and the wrapper points at uid=/gid=/mode=. Host files stay
// 0600, owned by the invoking user: the wrapper never widens them to "help".

import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildArgs,
  createBuildSandbox,
  PROJECT,
  type BuildSandbox,
} from '../helpers/build-sandbox.js';
import { runCli, setSecret, type CliRun } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';

const NPMRC = '//reg.example.com/:_authToken=fake-npm-token\n';

describe.runIf(requireEngine())('secrets read by a non-root USER', () => {
  let sandbox: BuildSandbox;
  let run: CliRun;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
    await setSecret(sandbox, ['npmrc', ...PROJECT, '--mount', '/home/app/.npmrc'], NPMRC);
    run = await runCli(sandbox, buildArgs('nonroot-user'));
  });

  afterAll(() => sandbox?.remove());

  it('reads the exact bytes when the mount sets uid', () => {
    const hash = createHash('sha256').update(NPMRC).digest('hex');
    expect(run.stderr).toContain(`${hash}  /home/app/.npmrc`);
  });

  it('fails without uid and says what to add to the mount', () => {
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Permission denied');
    expect(run.stderr).toMatch(/a step could not read secret npmrc .*add uid=<uid>,gid=<gid>/);
    expect(run.stderr).not.toContain('fake-npm-token');
  });
});
