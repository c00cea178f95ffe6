// Real builds on the real engine: organization and project secrets reach `RUN --mount=type=secret`
// steps byte for byte, the project value wins, and the canary is found nowhere it must not be.

import { createHash, randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { filesContaining, leftovers, makeCanary } from '../helpers/canary.js';
import { createSandbox, runCli, setSecret, type CliRun, type Sandbox } from '../helpers/cli.js';
import { registryCredentials, requireEngine } from '../helpers/engine.js';
import { ProcWatch } from '../helpers/proc-watch.js';
import { imageContains, removeImage, withLocalContainer } from '../helpers/images.js';

const sha256 = (value: Buffer) => createHash('sha256').update(value).digest('hex');

describe.runIf(requireEngine())('ona-build build with org and project secrets', () => {
  const canary = makeCanary();
  const orgShared = Buffer.from('org-value-should-lose');
  const projectShared = Buffer.from('project-value-wins');
  const binary = Buffer.concat([randomBytes(300), Buffer.from([0, 255, 13, 10, 0])]);
  const trailing = Buffer.from('-----BEGIN KEY-----\r\nabc\r\n-----END KEY-----\n\n');
  const npmrc = Buffer.from('//registry.example.com/:_authToken=npm-fake-token-7f3c\n');
  const tag = `ona-it-secrets:${Date.now()}`;

  let sandbox: Sandbox;
  let build: CliRun;
  let watch: ProcWatch;

  beforeAll(async () => {
    sandbox = createSandbox();
    const org = ['--org', 'acme'];
    const project = [...org, '--project', 'web'];
    await setSecret(sandbox, ['shared', ...org], orgShared);
    await setSecret(sandbox, ['shared', ...project], projectShared);
    await setSecret(sandbox, ['binary', ...org, '--type', 'file', '--mount', '/b'], binary);
    await setSecret(sandbox, ['trailing', ...project, '--mount', '/t'], trailing);
    await setSecret(sandbox, ['.npmrc', ...project, '--mount', '/root/.npmrc'], npmrc);
    await setSecret(sandbox, ['canary', ...project, '--type', 'file', '--mount', '/c'], canary);
    const registry = registryCredentials();
    await setSecret(
      sandbox,
      ['registry', ...org, '--registry', registry.host, '--username', registry.username],
      registry.password,
    );

    watch = new ProcWatch([canary, npmrc, projectShared]).start();
    build = await runCli(sandbox, [
      'build',
      ...project,
      '--network=none',
      '--progress=plain',
      '--build-arg',
      `NONCE=${Date.now()}`,
      '-t',
      tag,
      'fixtures/secrets-read',
    ]);
    watch.stop();
  });

  afterAll(async () => {
    await removeImage(tag);
    sandbox?.remove();
  });

  it('succeeds', () => {
    expect(build.stderr).toContain('#');
    expect(build.exitCode, build.stderr).toBe(0);
  });

  it('gives each step the stored bytes, with the project value winning', async () => {
    await withLocalContainer(tag, async (container) => {
      const hashes = (await container.exec(['cat', '/out/sha256'])).output;
      const sizes = (await container.exec(['cat', '/out/sizes'])).output;

      expect(hashes).toContain(`${sha256(projectShared)}  shared`);
      expect(hashes).not.toContain(sha256(orgShared));
      expect(hashes).toContain(`${sha256(binary)}  binary`);
      expect(hashes).toContain(`${sha256(trailing)}  trailing`);
      expect(hashes).toContain(`${sha256(canary)}  canary`);
      expect(hashes).toContain(`${sha256(npmrc)}  /root/.npmrc`);
      expect(sizes).toMatch(new RegExp(`\\b${binary.length} binary`));
      expect(sizes).toMatch(new RegExp(`\\b${trailing.length} trailing`));

      const secretsDir = await container.exec(['ls', '-A', '/run/secrets']);
      expect(secretsDir.output.trim()).toBe('');
    });
  });

  it('reports the override in its output without values', () => {
    expect(build.stderr).toContain(
      'shared (project acme/web) overrides shared (organization acme)',
    );
  });

  it('never shows a secret value in stdout or stderr', () => {
    for (const value of [canary, projectShared, orgShared, npmrc]) {
      expect(build.raw.includes(value)).toBe(false);
    }
  });

  it('never puts a secret value in the argv or environment of any process', () => {
    expect(watch.hits).toEqual([]);
    expect([...watch.seen].some((cmd) => cmd.includes('buildx build'))).toBe(true);
  });

  it('leaves nothing in the temp root and no value in any file under it', () => {
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
    expect(filesContaining(sandbox.runtimeDir, canary)).toEqual([]);
    expect(filesContaining('/dev/shm', canary)).toEqual([]);
    expect(filesContaining(sandbox.dir, canary)).toEqual([]);
  });

  it('keeps every value out of the image layers and config', async () => {
    expect(await imageContains(tag, [canary, projectShared, npmrc, binary])).toEqual([]);
  });
});
