// Registry credentials from secrets, on the real engine and the loopback registry that demands
// basic auth: the private base image is pulled only thanks to the secret, and the user's own
// docker setup (plugins, contexts, selected builder, broken credential helpers) keeps working.

import fs from 'node:fs';
import path from 'node:path';

import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { buildArgs, ORG, PROJECT } from '../helpers/build-sandbox.js';
import { filesContaining, leftovers, makeCanary } from '../helpers/canary.js';
import { createSandbox, runCli, setSecret, type Sandbox } from '../helpers/cli.js';
import { registryCredentials, requireEngine } from '../helpers/engine.js';
import { SYSTEM_PLUGIN_DIRS } from '../../src/build/buildx-plugin.js';

describe.runIf(requireEngine())('registry credentials from secrets', () => {
  const registry = registryCredentials();
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = createSandbox();
    await setSecret(sandbox, ['canary', ...PROJECT, '--mount', '/c'], makeCanary());
  });

  afterEach(() => sandbox.remove());

  const storeRegistrySecret = () =>
    setSecret(
      sandbox,
      ['registry', ...ORG, '--registry', registry.host, '--username', registry.username],
      registry.password,
    );

  it('cannot pull the private base image without the registry secret', async () => {
    const run = await runCli(sandbox, buildArgs('private-base'));

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/401 Unauthorized/);
    expect(run.stderr).toContain(
      'registry localhost:5000 refused the pull and no secret holds a credential for it',
    );
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('pulls the private base image with the registry secret, never showing the auth', async () => {
    await storeRegistrySecret();

    const run = await runCli(sandbox, buildArgs('private-base'));

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('[auth] sharing credentials for localhost:5000');
    expect(run.raw.includes(registry.password)).toBe(false);
    expect(run.raw.includes(auth)).toBe(false);
    expect(filesContaining(sandbox.runtimeDir, Buffer.from(auth))).toEqual([]);
    expect(filesContaining(sandbox.dir, Buffer.from(registry.password))).toEqual([]);
  });

  it('never shows the auth or the generated config.json, even at debug level (C27)', async () => {
    await storeRegistrySecret();

    const run = await runCli(sandbox, ['--log-level', 'debug', ...buildArgs('private-base')]);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('debug: plan');
    expect(run.raw.includes(registry.password)).toBe(false);
    expect(run.raw.includes(auth)).toBe(false);
    expect(run.raw.includes('"auths"')).toBe(false);
  });

  it('fails with a wrong password in the secret', async () => {
    await setSecret(
      sandbox,
      ['registry', ...ORG, '--registry', registry.host, '--username', registry.username],
      'not-the-password',
    );

    const run = await runCli(sandbox, buildArgs('private-base'));

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/401 Unauthorized/);
    expect(run.stderr).toContain(
      `registry localhost:5000 refused the credential of user ${registry.username} from ` +
        'organization acme',
    );
    expect(run.stderr).not.toContain('not-the-password');
  });

  it('ignores a credsStore and credHelpers whose binaries are not installed (C15)', async () => {
    await storeRegistrySecret();
    writeUserConfig(sandbox, {
      auths: {},
      credsStore: 'desktop',
      credHelpers: { '*.dkr.ecr.*.amazonaws.com': 'ecr-login', 'gcr.io': 'gcloud' },
    });

    const run = await runCli(sandbox, buildArgs('private-base'));

    expect(run.exitCode, run.stderr).toBe(0);
    // Nothing the build needed was missing: the stored secret served its only registry.
    expect(run.stderr).not.toContain('is not installed');
  });

  it('names a missing helper set for the registry the build pulls from (C15)', async () => {
    writeUserConfig(sandbox, { auths: {}, credHelpers: { [registry.host]: 'corp-login' } });

    const run = await runCli(sandbox, buildArgs('private-base'));

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `warn: docker-credential-corp-login (your docker config's credHelpers for ` +
        `${registry.host}) is not installed: the build pulls from ${registry.host} without ` +
        'the credentials it would give',
    );
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it("keeps the user's current context and selected builder (C14)", async () => {
    await storeRegistrySecret();
    const dockerConfig = path.join(sandbox.env.HOME, '.docker');
    const asUser = { env: { ...sandbox.env, DOCKER_CONFIG: dockerConfig }, extendEnv: false };
    await execa(
      'docker',
      ['context', 'create', 'ci-remote', '--docker', 'host=unix:///var/run/docker.sock'],
      asUser,
    );
    await execa('docker', ['context', 'use', 'ci-remote'], asUser);
    await execa('docker', ['buildx', 'use', 'ci-remote'], asUser);

    const run = await runCli(sandbox, buildArgs('private-base'));

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('building with "ci-remote" instance');
    const userConfig = fs.readFileSync(path.join(dockerConfig, 'config.json'), 'utf8');
    expect(userConfig).not.toContain(auth);
  });

  it("builds through the buildx plugin found only in the user's cli-plugins (C14)", async () => {
    await storeRegistrySecret();
    const calls = path.join(sandbox.dir, 'user-plugin-calls');
    writeUserPlugin(sandbox, calls);

    const run = await runCli(sandbox, buildArgs('private-base'));

    expect(run.exitCode, run.stderr).toBe(0);
    // The docker CLI ran the user's plugin for the build, through the temporary config dir.
    expect(fs.readFileSync(calls, 'utf8').split('\n')).toContain('buildx build');
    expect(fs.existsSync(path.join(sandbox.env.HOME, '.docker', 'config.json'))).toBe(false);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });
});

function writeUserConfig(sandbox: Sandbox, config: object): void {
  const dir = path.join(sandbox.env.HOME, '.docker');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
}

/**
 * A docker-buildx in ~/.docker/cli-plugins that notes each command it is given, then runs the
 * system's buildx: the CLI prefers it to the system one, as it would a user-installed buildx.
 */
function writeUserPlugin(sandbox: Sandbox, calls: string): void {
  const system = SYSTEM_PLUGIN_DIRS.map((dir) => path.join(dir, 'docker-buildx')).find((file) =>
    fs.existsSync(file),
  );
  if (system === undefined) throw new Error('no system buildx plugin to wrap');

  const dir = path.join(sandbox.env.HOME, '.docker', 'cli-plugins');
  fs.mkdirSync(dir, { recursive: true });
  const script = [
    '#!/bin/sh',
    `[ "$1" = docker-cli-plugin-metadata ] || echo "$1 $2" >> '${calls}'`,
    `exec '${system}' "$@"`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'docker-buildx'), script, { mode: 0o755 });
}
