// C08 on both sides of BuildKit's limit: 512,000 bytes reach the step whole on the real engine;
// one byte more is refused when set, naming the secret, its scope and the limit, not the value,
// and so is a --secret file of the user's that size, before the build starts.
// At the other end, an empty (--allow-empty) or very short value is stored with a warning.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildArgs, createBuildSandbox, ORG, type BuildSandbox } from '../helpers/build-sandbox.js';
import { leftovers } from '../helpers/canary.js';
import { runCli, setSecret } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';
import { ProcWatch } from '../helpers/proc-watch.js';

describe.runIf(requireEngine())('secret size limit', () => {
  let sandbox: BuildSandbox;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
  });

  afterAll(() => sandbox?.remove());

  it('builds with a secret of exactly 512,000 bytes', async () => {
    await setSecret(sandbox, ['ca_bundle', ...ORG, '--mount', '/etc/ca.pem'], randomBytes(512_000));

    const run = await runCli(sandbox, buildArgs('large-secret'));

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/size: 512000\n/);
  });

  it('refuses 512,001 bytes when the secret is set', async () => {
    const value = Buffer.from('x'.repeat(512_001));

    const run = await runCli(sandbox, ['secret', 'set', 'too_big', ...ORG, '--mount', '/b'], {
      input: value,
    });

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('secret too_big (organization acme)');
    expect(run.stderr).toContain('512000');
    expect(run.stderr).not.toContain('xxxxxxxx');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a --secret file of 512,001 bytes before the build, naming the id', async () => {
    const file = path.join(sandbox.dir, 'big.pem');
    fs.writeFileSync(file, 'y'.repeat(512_001), { mode: 0o600 });
    const watch = new ProcWatch([]).start();

    const run = await runCli(sandbox, buildArgs('large-secret', '--secret', `id=big,src=${file}`));
    watch.stop();

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`--secret id=big: ${file} is 512001 bytes; BuildKit accepts at`);
    expect(run.stderr).not.toContain('yyyyyyyy');
    expect([...watch.seen].filter((cmd) => cmd.includes('buildx build'))).toEqual([]);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it.each([
    ['', 'is empty (was the input empty?)'],
    ['abc', 'is too short to be masked in build output'],
  ])('stores %j with a warning that says what is wrong with it', async (value, warning) => {
    const args = ['secret', 'set', 'odd', ...ORG, '--allow-empty'];
    const run = await runCli(sandbox, args, { input: value });

    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`warn: secret odd (organization acme) ${warning}`);
  });
});
