// `build --scan-leaks` and `ona-build scan` through the CLI on the real engine (C11): secrets
// copied into layers are reported by name, scope and path, never by value; a clean image passes.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildArgs,
  createBuildSandbox,
  ORG,
  PROJECT,
  type BuildSandbox,
} from '../helpers/build-sandbox.js';
import { runCli, setSecret } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';
import { removeImage } from '../helpers/images.js';

const SECRETS: [string, string[], string][] = [
  ['db_password', PROJECT, 'pw-7f3c9a1e'],
  ['api_key', ORG, 'ak_live_51f0c2'],
  ['signing_key', PROJECT, 'signing-key-material-0123456789'],
];

describe.runIf(requireEngine())('leak scanning from the CLI', () => {
  const leakyTag = `ona-it-leaky:${Date.now()}`;
  let sandbox: BuildSandbox;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
    for (const [name, scope, value] of SECRETS) {
      await setSecret(sandbox, [name, ...scope, '--type', 'file', '--mount', `/s/${name}`], value);
    }
  });

  afterAll(async () => {
    await removeImage(leakyTag);
    sandbox?.remove();
  });

  it('refuses to scan for nothing: a mistyped --org must not pass as "no leaks"', async () => {
    const run = await runCli(sandbox, ['scan', 'localhost:5000/base/busybox:1', '--org', 'acmee']);

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('no secrets to look for: organization acmee holds none');
    expect(run.stdout).not.toContain('no leaks found');
  });

  it('fails a build whose image holds secrets, naming each place', async () => {
    const run = await runCli(
      sandbox,
      buildArgs('scan-cli-leaky', '--scan-leaks=fail', '-t', leakyTag),
    );

    expect(run.exitCode, run.stderr).toBe(8);
    expect(run.stderr).toMatch(
      /leak: db_password \(project acme\/web\) as exact in layer .* at \/secrets\/db_password/,
    );
    expect(run.stderr).toMatch(
      /leak: api_key \(organization acme\) as exact in layer .* at \/app.env/,
    );
    expect(run.stderr).toMatch(/leak: signing_key .* as base64 .* at \/signing.b64/);
    for (const [, , value] of SECRETS) expect(run.raw.includes(value)).toBe(false);
  });

  it('scans in the engine of the current docker context, as the build used', async () => {
    const config = path.join(sandbox.dir, 'context-config');
    const docker = (...args: string[]) =>
      execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: config } });
    docker('context', 'create', 'ona-it-local', '--docker', 'host=unix:///var/run/docker.sock');
    docker('context', 'create', 'ona-it-gone', '--docker', `host=unix://${sandbox.dir}/gone.sock`);

    const env = (name: string) => ({ env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: name } });
    const local = await runCli(sandbox, ['scan', leakyTag, ...PROJECT], env('ona-it-local'));
    const gone = await runCli(sandbox, ['scan', leakyTag, ...PROJECT], env('ona-it-gone'));

    expect(local.exitCode).toBe(8);
    expect(gone.exitCode).toBe(6);
    expect(gone.stderr).toContain(`cannot reach the engine to export ${leakyTag}`);
  });

  it('scans an image in the engine with ona-build scan', async () => {
    const run = await runCli(sandbox, ['scan', leakyTag, ...PROJECT]);

    expect(run.exitCode).toBe(8);
    expect(run.stdout).toMatch(/leak: db_password .* at \/secrets\/db_password/);
    for (const [, , value] of SECRETS) expect(run.raw.includes(value)).toBe(false);
  });

  it("warns about a --project holding no secrets, and scans for the organization's", async () => {
    const run = await runCli(sandbox, ['scan', leakyTag, ...ORG, '--project', 'wbe']);

    expect(run.exitCode).toBe(8);
    expect(run.stderr).toContain(
      'project acme/wbe holds no secrets: only those of organization acme are looked for',
    );
    expect(run.stdout).toMatch(/leak: api_key \(organization acme\) .* at \/app.env/);
    expect(run.stdout).not.toContain('db_password');
  });

  it('passes a clean image, where a zero-byte mount stub is not a leak', async () => {
    const run = await runCli(sandbox, buildArgs('scan-cli-clean', '--scan-leaks=fail'));

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/no leaks found/);
  });

  it("finds an organization's value its project overrides, and masks it in a build", async () => {
    const override = ['api_key', ...PROJECT, '--type', 'file', '--mount', '/s/k'];
    await setSecret(sandbox, override, 'ak-project-value-93c1');
    // A build on the leaky image prints the file holding the organization's (dropped) value.
    const context = path.join(sandbox.dir, 'print-dropped');
    fs.mkdirSync(context);
    fs.writeFileSync(
      path.join(context, 'Dockerfile'),
      'ARG BASE\nFROM $BASE\nARG NONCE=0\nRUN echo "$NONCE" && cat /app.env\n',
    );

    const scan = await runCli(sandbox, ['scan', leakyTag, ...PROJECT]);
    const build = await runCli(sandbox, [
      ...['build', ...PROJECT, '--network=none', '--progress=plain'],
      ...['--build-arg', `BASE=${leakyTag}`, '--build-arg', `NONCE=${Date.now()}`, context],
    ]);

    expect(scan.exitCode).toBe(8);
    expect(scan.stdout).toMatch(/leak: api_key \(organization acme\) .* at \/app.env/);
    expect(build.exitCode, build.stderr).toBe(0);
    expect(build.stderr).toContain('api_key (project acme/web) overrides api_key (organization');
    expect(build.stderr).toContain('KEY=***');
    expect(build.raw.includes('ak_live_51f0c2')).toBe(false);
  });
});
