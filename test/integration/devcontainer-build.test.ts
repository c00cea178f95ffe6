// `ona-build devcontainer build` on the real engine: a Dockerfile-based configuration builds with
// the stored secrets and its build arguments arrive byte for byte (C24); an image-based one is
// pulled with the stored registry credential; a compose-based one is refused with a way out;
// build arguments that forward a stored secret are refused before anything runs (C12).

import { createHash } from 'node:crypto';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBuildSandbox, ORG, PROJECT, type BuildSandbox } from '../helpers/build-sandbox.js';
import { leftovers } from '../helpers/canary.js';
import { REPO_ROOT, runCli, setSecret } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';
import { imageExists, removeImage, withLocalContainer } from '../helpers/images.js';
import { ProcWatch } from '../helpers/proc-watch.js';

const GREETING = `Hello & world; $(id) "quoted" 'single' // not a comment`;

describe.runIf(requireEngine())('ona-build devcontainer build', () => {
  const tag = `ona-it-devcontainer-build:${Date.now()}`;
  let sandbox: BuildSandbox;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
  });

  afterAll(async () => {
    await removeImage(tag);
    sandbox?.remove();
  });

  it('builds a Dockerfile configuration with the secrets and exact build arguments', async () => {
    const run = await runCli(
      sandbox,
      [
        'devcontainer',
        'build',
        ...PROJECT,
        '--workspace-folder',
        path.join(REPO_ROOT, 'fixtures/devcontainer-build/dockerfile'),
        '-t',
        tag,
        '--progress=plain',
      ],
      { cwd: '/tmp', env: { NONCE: String(Date.now()) } },
    );
    expect(run.exitCode, run.stderr).toBe(0);

    await withLocalContainer(tag, async (container) => {
      const hash = createHash('sha256').update(sandbox.canary).digest('hex');
      expect((await container.exec(['cat', '/g'])).output).toBe(GREETING);
      expect((await container.exec(['cat', '/canary.sha256'])).output).toContain(hash);
      expect((await container.exec(['cat', '/marker.txt'])).output).toContain('workspace root');
    });
    expect(run.raw.includes(sandbox.canary)).toBe(false);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it("refuses build.args forwarding a stored secret's value, before any build (C12)", async () => {
    const token = 'npm_fake_c12_value_7f3e';
    await setSecret(sandbox, ['NPM_TOKEN', ...ORG], token);
    const watch = new ProcWatch([]).start();

    const run = await runCli(
      sandbox,
      ['devcontainer', 'build', ...PROJECT, '--workspace-folder', 'fixtures/devcontainer/c12'],
      { env: { NPM_TOKEN: token } },
    );
    watch.stop();

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('NPM_TOKEN');
    expect(run.stderr).toContain('--mount=type=secret');
    expect(run.stderr).not.toMatch(/NODE_ENV/);
    expect(run.raw.includes(token)).toBe(false);
    expect([...watch.seen].filter((cmd) => cmd.includes('buildx build'))).toEqual([]);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it.each(['--workspace-folder', '--config'])(
    'masks a stored value typed as %s in the error that names the path',
    async (option) => {
      const typed = sandbox.canary.toString();
      const args = ['devcontainer', 'build', ...PROJECT, option, typed];
      const run = await runCli(sandbox, args.concat(option === '--config' ? ['.'] : []));

      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('***');
      expect(run.raw.includes(sandbox.canary)).toBe(false);
    },
  );

  it('only says what it would pull for an image configuration with --dry-run', async () => {
    const args = ['--workspace-folder', 'fixtures/devcontainer-build/image', '--dry-run'];
    const run = await runCli(sandbox, ['devcontainer', 'build', ...PROJECT, ...args, '-t', 'x']);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('names an image, which is pulled, not built: the 2 buildx');
    expect(JSON.parse(run.stdout)).toMatchObject({
      image: 'localhost:5000/private/base:1',
      registry: 'localhost:5000',
      credential: 'registry',
    });
    expect(run.stderr).not.toContain('pulling');
    expect(await imageExists('localhost:5000/private/base:1')).toBe(false);
  });

  it('warns when an image configuration finds no secrets to pull with', async () => {
    const args = ['--workspace-folder', 'fixtures/devcontainer-build/image', '--dry-run'];
    const scope = ['--org', 'acmee', '--project', 'web'];
    const run = await runCli(sandbox, ['devcontainer', 'build', ...scope, ...args]);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('no secrets are stored for organization acmee or project');
  });

  it('pulls an image configuration with the stored registry credential', async () => {
    const run = await runCli(sandbox, [
      'devcontainer',
      'build',
      ...PROJECT,
      '--workspace-folder',
      'fixtures/devcontainer-build/image',
    ]);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('pulling localhost:5000/private/base:1 with registry');
    const result = JSON.parse(run.stdout) as { digest: string };
    expect(result.digest).toMatch(/^localhost:5000\/private\/base@sha256:[0-9a-f]{64}$/);
    await removeImage('localhost:5000/private/base:1');
  });

  it('refuses a compose configuration and says how to run it instead', async () => {
    const run = await runCli(sandbox, [
      'devcontainer',
      'build',
      ...PROJECT,
      '--workspace-folder',
      'fixtures/devcontainer/compose',
    ]);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('ona-build exec');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
