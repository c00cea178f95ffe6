// Cache staleness on the real engine: BuildKit reuses a layer built with a secret's old value
// after the secret changes. ona-build notices the change (keyed fingerprints) and warns, or
// with --rebuild-on-secret-change rebuilds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBuildSandbox, PROJECT, type BuildSandbox } from '../helpers/build-sandbox.js';
import { runCli, setSecret } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';

const BUILD = ['build', ...PROJECT, '--network=none', '--progress=plain', 'fixtures/cached-secret'];
const STEP = /RUN --mount=type=secret,id=rotating[^\n]*\n#\d+ CACHED/;

describe.runIf(requireEngine())('secrets that change under the build cache', () => {
  let sandbox: BuildSandbox;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
    await setSecret(sandbox, ['rotating', ...PROJECT, '--mount', '/r'], 'first-value-1');
    const first = await runCli(sandbox, BUILD);
    if (first.exitCode !== 0) throw new Error(`the first build failed:\n${first.stderr}`);
  });

  afterAll(() => sandbox?.remove());

  it('says nothing while the secrets are unchanged', async () => {
    const run = await runCli(sandbox, BUILD);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).not.toContain('secrets changed');
  });

  it('warns, naming the changed secret, when a cached step may hold its old value', async () => {
    await setSecret(sandbox, ['rotating', ...PROJECT, '--mount', '/r'], 'second-value-2');

    const run = await runCli(sandbox, BUILD);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(STEP);
    expect(run.stderr).toContain(
      'secrets changed since the last build of this Dockerfile: rotating',
    );
  });

  it('keeps warning until the stage is rebuilt; the flag then still rebuilds it', async () => {
    const again = await runCli(sandbox, BUILD);
    const rebuilt = await runCli(sandbox, [...BUILD, '--rebuild-on-secret-change']);
    const after = await runCli(sandbox, BUILD);

    expect(again.stderr).toContain('secrets changed since the last build of this Dockerfile');
    expect(again.stderr).toMatch(STEP);
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain('secrets changed (rotating)');
    expect(rebuilt.stderr).not.toMatch(STEP);
    expect(after.stderr).not.toContain('secrets changed');
  });

  it('rebuilds with --rebuild-on-secret-change, then is quiet again', async () => {
    await setSecret(sandbox, ['rotating', ...PROJECT, '--mount', '/r'], 'third-value-3');

    const rebuilt = await runCli(sandbox, [...BUILD, '--rebuild-on-secret-change']);
    const after = await runCli(sandbox, BUILD);

    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain('secrets changed (rotating)');
    expect(rebuilt.stderr).not.toMatch(STEP);
    expect(after.stderr).not.toContain('secrets changed');
  });

  it('takes a --no-cache build for the rebuild it is: no warning then, none after', async () => {
    await setSecret(sandbox, ['rotating', ...PROJECT, '--mount', '/r'], 'fourth-value-4');

    const uncached = await runCli(sandbox, [...BUILD, '--no-cache']);
    const after = await runCli(sandbox, BUILD);

    expect(uncached.exitCode, uncached.stderr).toBe(0);
    expect(uncached.stderr).not.toContain('secrets changed');
    expect(after.stderr).not.toContain('secrets changed');
  });

  it('says nothing when only a secret no step mounts has changed', async () => {
    await setSecret(sandbox, ['unmounted', ...PROJECT], 'first-unmounted-1');
    await runCli(sandbox, BUILD);
    await setSecret(sandbox, ['unmounted', ...PROJECT], 'second-unmounted-2');

    const run = await runCli(sandbox, BUILD);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).not.toContain('secrets changed');
  });
});
