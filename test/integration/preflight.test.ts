// Pre-flight on the real engine: what the Dockerfile mounts is checked against what the scopes
// provide before anything starts (C01), for the stages the build runs; ids derived from targets and
// file-name aliases reach the steps (C04), and build arguments that carry secrets are refused
// (C12).

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
import { leftovers } from '../helpers/canary.js';
import { REPO_ROOT, runCli, setSecret } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';
import { ProcWatch } from '../helpers/proc-watch.js';

describe.runIf(requireEngine())('pre-flight Dockerfile analysis', () => {
  let sandbox: BuildSandbox;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
    await setSecret(
      sandbox,
      ['npmrc', ...PROJECT, '--mount', '/home/dev/.npmrc'],
      '//r.example.com/:_authToken=fake-npm-token\n',
    );
    await setSecret(
      sandbox,
      ['pip.conf', ...ORG, '--mount', '/etc/pip.conf'],
      '[global]\nindex-url = https://u:p@pypi.example.com/simple\n',
    );
    await setSecret(sandbox, ['NPM_TOKEN_ORG', ...ORG], 'npm_fake_123456');
  });

  afterAll(() => sandbox?.remove());

  it('warns about a missing optional secret when a missing required one stops it', async () => {
    const run = await runCli(sandbox, buildArgs('preflight-both'));

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/^ona-build: warn: .*"nice_to_have" \(optional\)/m);
    expect(run.stderr).toMatch(/^ona-build: error: .*"needed_key" \(required\)/m);
    expect(run.stderr).not.toMatch(/^ona-build: error: .*nice_to_have/m);
  });

  it('warns when no secret is stored for the organization or project (a typo)', async () => {
    const run = await runCli(sandbox, [
      'build',
      ...['--org', 'acmee', '--project', 'web'],
      '--dry-run',
      'fixtures/bench',
    ]);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'warn: no secrets are stored for organization acmee or project acmee/web: ' +
        'check --org and --project',
    );
  });

  it.each([
    ['a b', 'web'],
    ['acme', ''],
  ])('refuses --org %j --project %j, names no secret can have (exit 2)', async (org, project) => {
    const args = ['--org', org, '--project', project];
    const run = await runCli(sandbox, ['build', ...args, '--dry-run', 'fixtures/secrets-read']);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/error: invalid (organization|project) name/);
  });

  it('says precedence dropped a secret the Dockerfile asks for, not that none exists', async () => {
    const scope = ['--org', 'dropco'];
    const file = ['--mount', '/root/.npmrc'];
    await setSecret(sandbox, ['orgnpmrc', ...scope, ...file], 'org-npmrc-value-1\n');
    await setSecret(sandbox, ['npmrc', ...scope, '--project', 'web', ...file], 'prj-npmrc-value\n');
    const dockerfile = path.join(sandbox.dir, 'Dockerfile.dropped');
    fs.writeFileSync(
      dockerfile,
      'FROM scratch\nRUN --mount=type=secret,id=orgnpmrc,required true\n',
    );

    const args = ['build', ...scope, '--project', 'web', '--dry-run', '-f', dockerfile];
    const run = await runCli(sandbox, [...args, 'fixtures/bench']);

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(
      'mounts secret "orgnpmrc" (required) but precedence drops it (npmrc (project dropco/web) ' +
        'overrides orgnpmrc (organization dropco): the same file)',
    );
  });

  // dockerd 20.10's built-in frontend predates env= (Dockerfile 1.10), and no newer one can be
  // pulled here: the failure says what works on every BuildKit.
  it('says how to read a secret without env= when the frontend does not know it', async () => {
    const context = path.join(sandbox.dir, 'env-mount');
    fs.mkdirSync(context);
    fs.writeFileSync(
      path.join(context, 'Dockerfile'),
      'FROM localhost:5000/base/busybox:1\n' +
        'RUN --mount=type=secret,id=NPM_TOKEN_ORG,env=TOKEN test -n "$TOKEN"\n',
    );

    const run = await runCli(sandbox, [...buildArgs('bench').slice(0, -1), context]);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      "error: this builder's Dockerfile frontend does not know the mount option env= (line 2)",
    );
    expect(run.stderr).toContain("sh -c 'VAR=$(cat /run/secrets/ID) ...'");
  });

  it('stops before building when a required secret is provided by no scope', async () => {
    const watch = new ProcWatch([]).start();
    const run = await runCli(sandbox, buildArgs('preflight-required'));
    watch.stop();
    const builds = [...watch.seen].filter((cmd) => cmd.includes(sandbox.runtimeDir));

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/line 3 mounts secret "deploy_key" \(required\)/);
    expect(run.stderr).toContain('organization acme, project acme/web');
    expect(builds).toEqual([]);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('warns about a missing optional secret, never using a file or variable instead', async () => {
    // Run from the context itself, where buildx would find the stray ./NPM_TOKEN file if the
    // wrapper ever passed a bare `--secret id=NPM_TOKEN`.
    const args = [...buildArgs('preflight-c01').slice(0, -1), '.'];
    const watch = new ProcWatch([]).start();
    const run = await runCli(sandbox, args, {
      env: { NPM_TOKEN: 'from-shell' },
      cwd: path.join(REPO_ROOT, 'fixtures', 'preflight-c01'),
    });
    watch.stop();

    expect(run.stderr).toMatch(/mounts secret "NPM_TOKEN"/);
    expect(run.stderr).toMatch(/#\d+ [\d.]+ missing/);
    expect(run.stderr).not.toContain('stale-token');
    expect(run.exitCode).toBe(1);
    expect([...watch.seen].filter((cmd) => /id=NPM_TOKEN[,\s]/.test(cmd))).toEqual([]);
  });

  it('builds when only a stage the build does not run needs a missing secret', async () => {
    const run = await runCli(sandbox, buildArgs('preflight-stages'));

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('release built');
    expect(run.stderr).not.toContain('integration_db_password');
  });

  it('stops before building when the --target stage needs a missing secret', async () => {
    const run = await runCli(
      sandbox,
      buildArgs('preflight-stages', '--target', 'integration-test'),
    );

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/mounts secret "integration_db_password" \(required\)/);
    expect(run.stderr).not.toContain('never run by default');
  });

  it('refuses a --target naming no stage, rather than check stages it would not run', async () => {
    const run = await runCli(sandbox, buildArgs('preflight-stages', '--target', 'relase'));

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'target stage "relase" could not be found in Dockerfile ' +
        '(its stages: base, integration-test, release)',
    );
    expect(run.stderr).not.toContain('integration_db_password');
  });

  it('plans without a docker client, warning that the build would fail', async () => {
    const run = await runCli(sandbox, ['plan', ...PROJECT, 'fixtures/preflight-alias'], {
      env: { ONA_BUILD_DOCKER: '/nonexistent/docker' },
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('Builder:    buildx (/nonexistent/docker)');
    expect(run.stderr).toContain('docker client not found (/nonexistent/docker)');
    expect(run.stderr).toContain('the plan shows a buildx build, which fails here');
  });

  it('passes ids derived from targets, answering .npmrc with the file secret npmrc', async () => {
    const run = await runCli(sandbox, buildArgs('preflight-alias'));

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('both mounted');
    expect(run.stderr).not.toContain('fake-npm-token');
  });

  it('refuses a build argument that equals a secret value, without echoing it', async () => {
    const run = await runCli(
      sandbox,
      buildArgs(
        'preflight-c12',
        '--build-arg',
        'NPM_TOKEN=npm_fake_123456',
        '--build-arg',
        'NODE_ENV=development',
      ),
    );

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('NPM_TOKEN');
    expect(run.stderr).toContain('--mount=type=secret');
    expect(run.stderr).not.toContain('npm_fake_123456');
    expect(run.stderr).not.toMatch(/NODE_ENV/);
  });

  it('passes only the secrets the Dockerfile mounts with --only-referenced', async () => {
    const run = await runCli(sandbox, [
      'plan',
      ...PROJECT,
      '--json',
      '--only-referenced',
      'fixtures/preflight-alias',
    ]);

    expect(run.exitCode, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as { secrets: { id: string }[]; registries: unknown[] };
    expect(plan.secrets.map((s) => s.id).sort()).toEqual(['.npmrc', 'npmrc', 'pip.conf']);
    expect(plan.registries).toHaveLength(1);
  });

  it('names the frontend image when a # syntax= directive cannot be pulled (C25 a)', async () => {
    const run = await runCli(sandbox, buildArgs('syntax-offline'));

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'the Dockerfile frontend image docker.io/docker/dockerfile:1 ' +
        '(the # syntax= directive on line 1)',
    );
  });

  it('warns that BuildKit ignores a # syntax= directive after a comment (C25 b)', async () => {
    const run = await runCli(sandbox, ['plan', ...PROJECT, '--json', 'fixtures/syntax-misplaced']);
    const plan = JSON.parse(run.stdout) as { analysis: { syntax?: unknown; warnings: unknown[] } };

    expect(plan.analysis.syntax).toBeUndefined();
    expect(JSON.stringify(plan.analysis.warnings)).toMatch(/syntax/i);
  });

  it("counts the frontend image's registry as one the build needs (C25 c)", async () => {
    const run = await runCli(sandbox, ['plan', ...PROJECT, '--json', 'fixtures/syntax-loopback']);
    const plan = JSON.parse(run.stdout) as { registries: { host: string }[] };

    expect(run.exitCode, run.stderr).toBe(0);
    expect(plan.registries.map((r) => r.host)).toEqual(['localhost:5000']);
  });

  it('counts the registry a --build-context docker-image:// pulls from as needed', async () => {
    const context = 'mybase=docker-image://localhost:5000/private/base:1';
    const hosts = async (...extra: string[]) => {
      const args = ['plan', ...PROJECT, '--json', ...extra, 'fixtures/build-context-base'];
      const run = await runCli(sandbox, args);
      expect(run.exitCode, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { registries: { host: string }[] }).registries.map(
        (r) => r.host,
      );
    };

    expect(await hosts()).not.toContain('localhost:5000');
    expect(await hosts('--build-context', context)).toContain('localhost:5000');
  });

  it('takes a bare --build-arg from the environment, as buildx does', async () => {
    const run = await runCli(sandbox, buildArgs('preflight-envarg', '--build-arg', 'VERSION'), {
      env: { VERSION: '1.2.3' },
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('version=[1.2.3]');
  });

  it('refuses a secret typed as a --build-arg value, even when allowed', async () => {
    const args = ['--allow-secret-build-args', '--build-arg', 'VERSION=npm_fake_123456'];
    const run = await runCli(sandbox, buildArgs('preflight-envarg', ...args));

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('build argument VERSION equals the value of secret');
    expect(run.stderr).toContain('which every process on the machine can read, so no option');
    expect(run.stderr).not.toContain('builds anyway');
    expect(run.stderr).not.toContain('npm_fake_123456');
  });

  // The value itself, and as `$(cat file)` gives it: a stored value with a final newline, without.
  const EQUAL = ['npm_fake_123456', 'build argument VERSION equals the value of secret'] as const;
  const FORM = ['near-copy-token-7731', "build argument VERSION holds a stored secret's value"];
  it.each([
    [EQUAL, [], 3, ''],
    [EQUAL, ['--allow-secret-build-args'], 0, 'version=[***]'],
    [FORM, [], 3, ''],
    [FORM, ['--allow-secret-build-args'], 0, 'version=[***]'],
  ])(
    'refuses a bare --build-arg whose variable holds a secret, unless allowed (%j, %j)',
    async ([value, message], allow, exitCode, output) => {
      await setSecret(sandbox, ['nl_token', ...ORG], 'near-copy-token-7731\n');
      const args = [...allow, '--build-arg', 'VERSION'];
      const run = await runCli(sandbox, buildArgs('preflight-envarg', ...args), {
        env: { VERSION: value },
      });

      expect(run.exitCode, run.stderr).toBe(exitCode);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toContain('this is a bug');
      expect(run.stderr).not.toContain(value);
      expect(run.stderr).toContain(output);
    },
  );

  it('refuses an option that carries a stored secret, as a user error (exit 3)', async () => {
    const encoded = Buffer.from('npm_fake_123456').toString('base64');
    const run = await runCli(sandbox, buildArgs('preflight-envarg', '--label', `x=${encoded}`));

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('the value of --label carries the value');
    expect(run.stderr).not.toContain(encoded);
  });
});
