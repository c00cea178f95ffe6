// `ona-build exec` with the real dev container CLI on the real engine: `devcontainer build` of a
// fixture that mounts a secret works with no change to devcontainer.json, the command's exit
// code is passed through, and nothing is left behind.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createBuildSandbox,
  ORG,
  PROJECT,
  startBuildUntil,
  type BuildSandbox,
} from '../helpers/build-sandbox.js';
import { filesContaining, leftovers } from '../helpers/canary.js';
import { CLI, REPO_ROOT, runCli, setSecret, type CliRun } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';
import { removeImage, withLocalContainer } from '../helpers/images.js';
import { ProcWatch } from '../helpers/proc-watch.js';

const DEVCONTAINER_CLI = path.join(REPO_ROOT, 'node_modules', '.bin', 'devcontainer');

describe.runIf(requireEngine())('ona-build exec', () => {
  const tag = `ona-it-devcontainer:${Date.now()}`;
  let sandbox: BuildSandbox;
  let run: CliRun;
  let watch: ProcWatch;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
    watch = new ProcWatch([sandbox.canary]).start();
    run = await runCli(
      sandbox,
      [
        'exec',
        ...PROJECT,
        '--',
        DEVCONTAINER_CLI,
        'build',
        '--workspace-folder',
        'fixtures/devcontainer-exec',
        '--image-name',
        tag,
      ],
      { env: { NONCE: String(Date.now()) } },
    );
    watch.stop();
  });

  afterAll(async () => {
    await removeImage(tag);
    sandbox?.remove();
  });

  it('lets the dev container CLI build a Dockerfile that mounts a stored secret', async () => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('"outcome":"success"');

    await withLocalContainer(tag, async (container) => {
      const { output } = await container.exec(['cat', '/out/sha256']);
      const hash = createHash('sha256').update(sandbox.canary).digest('hex');
      expect(output).toBe(`${hash}  /run/secrets/canary\n`);
    });
  });

  it('keeps the value out of output, argv, environments and leftover files', () => {
    expect(run.raw.includes(sandbox.canary)).toBe(false);
    expect(watch.hits).toEqual([]);
    expect([...watch.seen].some((cmd) => cmd.includes('buildx build'))).toBe(true);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
    expect(filesContaining(sandbox.runtimeDir, sandbox.canary)).toEqual([]);
  });

  it("passes the command's arguments as typed: 0x10, 1e1 and 007 are not numbers", async () => {
    const command = ['sh', '-c', 'printf "%s\\n" "$@"', 'sh', '0x10', '1e1', '007', '-1'];
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', ...command]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('0x10\n1e1\n007\n-1\n');
  });

  it('keeps its shim first on PATH after a cd, with --tmpdir relative', async () => {
    const tmpdir = path.basename(sandbox.runtimeDir);
    const command = ['sh', '-c', 'cd / && command -v docker && echo "$DOCKER_CONFIG"'];
    const args = ['exec', ...PROJECT, '--tmpdir', tmpdir, '--', ...command];

    const result = await runCli(sandbox, args, { cwd: path.dirname(sandbox.runtimeDir) });

    expect(result.exitCode, result.stderr).toBe(0);
    const [docker, config] = result.stdout.trim().split('\n');
    expect(docker).toMatch(new RegExp(`^${sandbox.runtimeDir}/ona-build-\\d+-\\w+/bin/docker$`));
    expect(config).toMatch(new RegExp(`^${sandbox.runtimeDir}/`));
  });

  it("passes the command's exit code through", async () => {
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', 'sh', '-c', 'exit 7']);

    expect(result.exitCode).toBe(7);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('cleans up soon after the command exits, though a process it left holds output', async () => {
    const started = Date.now();
    // The background sleep keeps the command's stdout open long after the command is gone.
    const script = 'sleep 60 & echo started; exit 3';
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', 'sh', '-c', script]);

    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('started\n');
    expect(result.stderr).toContain('the command exited but its output is still held open');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('exits 128 + the signal, and says so, when the command is killed by one', async () => {
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', 'sh', '-c', 'kill -TERM $$']);

    expect(result.exitCode).toBe(143);
    expect(result.stderr).toContain('the command was killed by SIGTERM');
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('exits 127 like a shell when the command does not exist, leaving nothing', async () => {
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', '/nonexistent/command']);

    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('could not start /nonexistent/command: not found');
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('leaves docker commands other than builds unchanged', async () => {
    const result = await runCli(sandbox, [
      'exec',
      ...PROJECT,
      '--',
      'docker',
      'version',
      '--format',
      'client {{.Client.Version}}',
    ]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^client \d+\.\d+/);
  });

  it('refuses a build with rawjson progress run by the command, leaving nothing', async () => {
    const build = ['docker', 'buildx', 'build', '--progress=rawjson', 'fixtures/secrets-read'];
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', ...build]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('ona-build exec: rawjson progress cannot be redacted');
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('refuses a build by the command whose own --secret reuses a stored id', async () => {
    const spec = 'id=canary,src=/etc/hostname';
    const build = ['docker', 'buildx', 'build', '--secret', spec, 'fixtures/secrets-read'];
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', ...build]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--secret id=canary is also provided by ona-build');
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('refuses a build by the command writing an archive to stdout', async () => {
    const build = ['docker', 'buildx', 'build', '-o', '-', 'fixtures/secrets-read'];
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', ...build]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('masked like all output, which corrupts the archive');
    expect(result.stdout).toBe('');
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('refuses a build by the command whose --build-arg carries a stored value', async () => {
    const file = path.join(sandbox.dir, 'value-in-build-arg');
    fs.writeFileSync(file, sandbox.canary);
    const script = 'docker buildx build --network=none --build-arg "HIDDEN=$(cat "$0")" "$1"';
    const command = ['sh', '-c', script, file, 'fixtures/secrets-read'];
    const watch = new ProcWatch([]).start();

    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', ...command]);
    watch.stop();

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(
      'in a build the command runs, the value of --build-arg carries',
    );
    // The check sees the rewritten argv; the real client never runs.
    const builds = [...watch.seen].filter((cmd) => cmd.includes('buildx build --secret'));
    expect(builds.filter((cmd) => !cmd.includes(' exec-check '))).toEqual([]);
    expect(result.raw.includes(sandbox.canary)).toBe(false);
  });

  it("refuses a build by the command whose context holds ona-build's own files", async () => {
    const build = ['docker', 'buildx', 'build', '--network=none', sandbox.dir];
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', ...build]);

    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('master key file');
    expect(result.stderr).toContain(`is inside the build context ${sandbox.dir}`);
  });

  it("drops a caller's variable that holds a stored secret's value", async () => {
    const result = await runCli(
      sandbox,
      ['exec', ...PROJECT, '--', 'sh', '-c', 'echo "token=[${MY_TOKEN:-unset}]"'],
      { env: { MY_TOKEN: sandbox.canary.toString() } },
    );

    expect(result.stdout).toContain('token=[unset]');
    expect(result.stderr).toContain('not passing MY_TOKEN to the command');
  });

  it("refuses a command line holding a stored secret's value (exit 3)", async () => {
    const value = sandbox.canary.toString();
    const result = await runCli(sandbox, ['exec', ...PROJECT, '--', 'echo', `x=${value}`]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('argument 1 of the command carries the value');
    expect(result.stdout).toBe('');
    expect(result.stdout + result.stderr).not.toContain(value);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('masks an identity token (ACR style) wherever the command prints it (C18)', async () => {
    const token = `eyJhbGciOiJSUzI1NiJ9.acr-refresh-${Date.now()}`;
    const user = '00000000-0000-0000-0000-000000000000';
    await setSecret(
      sandbox,
      ['acr', ...ORG, '--registry', 'myacr.azurecr.io', '--username', user, '--identity-token'],
      token,
    );

    const result = await runCli(sandbox, [
      'exec',
      ...PROJECT,
      '--',
      'sh',
      '-c',
      'cat "$DOCKER_CONFIG/config.json"',
    ]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/"identitytoken": "\*\*\*"/);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it('masks the master key like a value where a command prints it', async () => {
    const key = fs.readFileSync(sandbox.env.ONA_BUILD_KEY_FILE, 'utf8').trim();

    const result = await runCli(sandbox, [
      'exec',
      ...PROJECT,
      '--',
      'cat',
      sandbox.env.ONA_BUILD_KEY_FILE,
    ]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('***');
    expect(result.stdout + result.stderr).not.toContain(key);
  });

  it("keeps the store's master key and settings away from the command", async () => {
    const result = await runCli(
      sandbox,
      ['exec', ...PROJECT, '--', 'sh', '-c', 'env | grep "^ONA_BUILD_" | cut -d= -f1'],
      {
        env: {
          ONA_BUILD_MASTER_KEY: fs.readFileSync(sandbox.env.ONA_BUILD_KEY_FILE, 'utf8').trim(),
        },
      },
    );

    // Only the mark that makes an ona-build build or exec run by the command refuse.
    expect(result.stdout.trim()).toBe('ONA_BUILD_INSIDE_EXEC');
  });

  it.each([
    ['build', ['build', ...PROJECT, '--network=none', 'fixtures/secrets-read']],
    ['exec', ['exec', ...PROJECT, '--', 'true']],
  ])(
    'refuses an ona-build %s the command runs: the shim would add its secrets',
    async (_, args) => {
      const inner = [process.execPath, CLI, ...args];
      const result = await runCli(sandbox, ['exec', ...PROJECT, '--', ...inner]);

      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`ona-build ${args[0]} cannot run inside ona-build exec`);
      expect(leftovers(sandbox.runtimeDir)).toEqual([]);
    },
  );

  it('on SIGTERM stops the command, says so, exits 143 and leaves nothing', async () => {
    const args = ['exec', ...PROJECT, '--', 'sh', '-c', 'echo command-started >&2; sleep 30'];
    const { child } = await startBuildUntil(sandbox, args, 'command-started');

    child.kill('SIGTERM');
    const result = await child;

    expect(result.exitCode).toBe(143);
    expect(Buffer.from(result.stderr as Uint8Array).toString()).toContain(
      'SIGTERM received: stopping the command',
    );
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });
});
