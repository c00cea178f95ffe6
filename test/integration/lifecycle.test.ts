// Cleanup on every exit path, on the real engine: success is covered elsewhere; here a failing
// build, SIGINT/SIGTERM/SIGHUP during a running step, output that goes away or cannot be written,
// and SIGKILL followed by gc or the next run.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { filesContaining, leftovers } from '../helpers/canary.js';
import {
  buildArgs,
  createBuildSandbox,
  ORG,
  processesMentioning,
  startBuildUntil,
  waitUntil,
  type BuildSandbox,
} from '../helpers/build-sandbox.js';
import { runCli, setSecret } from '../helpers/cli.js';
import { EngineProxy } from '../helpers/engine-proxy.js';
import { requireEngine } from '../helpers/engine.js';
import { ProcWatch } from '../helpers/proc-watch.js';

describe.runIf(requireEngine())('build lifecycle', () => {
  let sandbox: BuildSandbox;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
  });

  afterAll(() => {
    for (const pid of processesMentioning(sandbox.runtimeDir)) process.kill(pid, 'SIGKILL');
    sandbox?.remove();
  });

  /** No secret byte in the temp roots, no builder left, and the store still reads back. */
  const nothingLeft = async () => {
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
    expect(filesContaining(sandbox.runtimeDir, sandbox.canary)).toEqual([]);
    expect(filesContaining('/dev/shm', sandbox.canary)).toEqual([]);
    expect(processesMentioning(sandbox.runtimeDir)).toEqual([]);
    const list = await runCli(sandbox, ['secret', 'resolve', ...PROJECT_ARGS.slice(0, 4)]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/^canary +file +project acme\/web/m);
  };

  it('passes the builder exit code through and cleans up when the build fails', async () => {
    const run = await runCli(sandbox, buildArgs('failing'));

    expect(run.stderr).toContain('failing');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('the build failed (builder exit code 1)');
    expect(run.raw.includes(sandbox.canary)).toBe(false);
    await nothingLeft();
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('on %s stops the builder, cleans up and exits %i', async (signal, code) => {
    const { child } = await startBuildUntil(sandbox, buildArgs('long-step'), 'step-started');
    expect(leftovers(sandbox.runtimeDir)).toHaveLength(1);
    expect(processesMentioning(sandbox.runtimeDir).length).toBeGreaterThan(0);

    child.kill(signal);
    const result = await child;

    expect(result.exitCode).toBe(code);
    await nothingLeft();
  });

  it('stops the build and cleans up when its output goes away, exiting 141 (SIGPIPE)', async () => {
    const { child } = await startBuildUntil(sandbox, buildArgs('chatty-step'), 'tick 3');

    // What `ona-build build ... | head` does once head has its lines: the reader closes the pipe.
    child.stdout!.destroy();
    child.stderr!.destroy();
    const result = await child;

    expect(result.exitCode).toBe(141);
    await nothingLeft();
  });

  it('on SIGTERM while its reader has stopped reading, still stops and cleans up', async () => {
    const { child } = await startBuildUntil(sandbox, buildArgs('flood-step'), 'step-started');
    // `ona-build build ... | less`, with less left open: nothing more is read, the pipe fills.
    child.stderr!.pause();
    await new Promise((resolve) => setTimeout(resolve, 2000));

    // Not child.kill(): execa would follow it with a SIGKILL after 5 s.
    process.kill(child.pid!, 'SIGTERM');
    const exited = await Promise.race([
      child.then((result) => result.exitCode),
      new Promise((resolve) => setTimeout(() => resolve('still running'), 20_000)),
    ]);
    child.stderr!.resume();

    expect(exited).toBe(143);
    await nothingLeft();
  });

  it('stops the build and cleans up when its output cannot be written (a full disk)', async () => {
    // The progress display goes to stderr: the first write of it fails with ENOSPC.
    const run = await runCli(sandbox, buildArgs('chatty-step'), { stderrFile: '/dev/full' });

    expect(run.exitCode).toBe(141);
    await nothingLeft();
  });

  it('on SIGTERM with tty progress (a pseudo-terminal) also stops and cleans up', async () => {
    const args = [...buildArgs('long-step'), '--progress=tty'];
    // The tty display shows the step's command, not its output, while it runs.
    const { child } = await startBuildUntil(sandbox, args, '[2/2] RUN --mount');
    await new Promise((resolve) => setTimeout(resolve, 1500));

    child.kill('SIGTERM');
    const result = await child;

    expect(result.exitCode).toBe(143);
    expect(await waitUntil(() => processesMentioning(sandbox.runtimeDir).length === 0)).toBe(true);
    await nothingLeft();
  });

  it.each(['gc', 'the next build'])(
    'after SIGKILL leaves its run dir, which %s sweeps with the builder',
    async (sweeper) => {
      const { child } = await startBuildUntil(sandbox, buildArgs('long-step'), 'step-started');
      child.kill('SIGKILL');
      await child;

      expect(leftovers(sandbox.runtimeDir)).toHaveLength(1);
      expect(processesMentioning(sandbox.runtimeDir).length).toBeGreaterThan(0);

      const args = sweeper === 'gc' ? ['gc'] : buildArgs('private-base');
      const next = await runCli(sandbox, args);
      expect(next.exitCode, next.stderr).toBe(0);
      expect(next.stdout + next.stderr).toMatch(/removed .*ona-build-/);

      expect(await waitUntil(() => processesMentioning(sandbox.runtimeDir).length === 0)).toBe(
        true,
      );
      await nothingLeft();
    },
  );

  it.each(['gc', 'the next build'])(
    'after SIGKILL in a --tmpdir root, %s (with the default roots) sweeps it too',
    async (sweeper) => {
      const explicit = fs.mkdtempSync('/dev/shm/ona-it-explicit-');
      try {
        const args = buildArgs('long-step', '--tmpdir', explicit);
        const { child } = await startBuildUntil(sandbox, args, 'step-started');
        child.kill('SIGKILL');
        await child;
        expect(leftovers(explicit)).toHaveLength(1);
        expect(filesContaining(explicit, sandbox.canary)).not.toEqual([]);

        const next = await runCli(sandbox, sweeper === 'gc' ? ['gc'] : buildArgs('private-base'));

        expect(next.exitCode, next.stderr).toBe(0);
        expect(next.stdout + next.stderr).toContain(`removed ${explicit}/ona-build-`);
        expect(leftovers(explicit)).toEqual([]);
        expect(await waitUntil(() => processesMentioning(explicit).length === 0)).toBe(true);
        await nothingLeft();
      } finally {
        fs.rmSync(explicit, { recursive: true, force: true });
      }
    },
  );

  it('passes the builder exit code on, with a hint, if the engine is unreachable', async () => {
    const env = { DOCKER_HOST: `unix://${path.join(sandbox.dir, 'no-engine.sock')}` };
    const run = await runCli(sandbox, buildArgs('private-base'), { env });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('the docker engine could not be reached');
    await nothingLeft();
  });

  it('cleans up and fails with the builder exit code when the engine goes away', async () => {
    const proxy = await new EngineProxy(path.join(sandbox.dir, 'engine.sock')).listen();
    const env = { DOCKER_HOST: proxy.dockerHost };
    const { child } = await startBuildUntil(sandbox, buildArgs('long-step'), 'step-started', env);

    proxy.cut();
    const result = await child;

    expect(result.exitCode).not.toBe(0);
    expect(result.exitCode).toBeLessThan(126);
    expect(Buffer.from(result.stderr as Uint8Array).toString()).toContain('the build failed');
    await nothingLeft();
    const list = await runCli(sandbox, ['secret', 'list', ...ORG]);
    expect(list.exitCode).toBe(0);
  });

  it.runIf(runsAsRoot())(
    "refuses another user's pre-created directory as the temp root",
    async () => {
      const foreign = fs.mkdtempSync('/dev/shm/ona-it-foreign-');
      fs.chownSync(foreign, 65534, 65534);
      try {
        const args = ['build', ...PROJECT_ARGS, '--tmpdir', foreign, 'fixtures/failing'];
        const run = await runCli(sandbox, args);

        expect(run.exitCode).toBe(5);
        expect(run.stderr).toContain('is owned by another user');
        expect(fs.readdirSync(foreign)).toEqual([]);
        await nothingLeft();
      } finally {
        fs.rmSync(foreign, { recursive: true, force: true });
      }
    },
  );

  it('refuses a --tmpdir that is a symlink, writing nothing', async () => {
    const link = path.join(sandbox.dir, 'planted-link');
    fs.symlinkSync(sandbox.runtimeDir, link);

    const run = await runCli(sandbox, [
      'build',
      ...PROJECT_ARGS,
      '--tmpdir',
      link,
      'fixtures/failing',
    ]);

    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain('is a symbolic link');
    await nothingLeft();
  });

  it('refuses a --tmpdir inside the build context, where COPY . takes the secrets', async () => {
    const context = fs.mkdtempSync(path.join(sandbox.runtimeDir, 'context-'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM localhost:5000/base/busybox:1\n');
    const inside = path.join(context, 'tmp');
    fs.mkdirSync(inside, { mode: 0o700 });
    const watch = new ProcWatch([]).start();

    const run = await runCli(sandbox, ['build', ...PROJECT_ARGS, '--tmpdir', inside, context]);
    watch.stop();

    expect(run.exitCode).toBe(5);
    expect(run.stderr).toContain(`(${inside}) is inside the build context ${context}`);
    expect(fs.readdirSync(inside)).toEqual([]);
    // Nothing was made there, so nothing is listed for gc to sweep either.
    const roots = path.join(sandbox.env.HOME, '.local', 'share', 'ona-build', 'temp-roots');
    const listed = fs.existsSync(roots) ? fs.readFileSync(roots, 'utf8') : '';
    expect(listed).not.toContain(inside);
    expect([...watch.seen].filter((cmd) => cmd.includes('buildx build'))).toEqual([]);
    fs.rmSync(context, { recursive: true });
    await nothingLeft();
  });

  it('refuses a build whose context holds the master key file (exit 4)', async () => {
    const context = path.dirname(sandbox.env.ONA_BUILD_KEY_FILE);
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM localhost:5000/base/busybox:1\n');

    const run = await runCli(sandbox, ['build', ...PROJECT_ARGS, context]);
    fs.rmSync(path.join(context, 'Dockerfile'));

    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain(
      `master key file ${sandbox.env.ONA_BUILD_KEY_FILE} is inside the build context ${context}`,
    );
    await nothingLeft();
  });

  it.runIf(runsAsRoot())(
    'fails cleanly when the tmpfs is full, leaving it empty and the store intact',
    async () => {
      const small = fs.mkdtempSync('/tmp/ona-it-small-');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', small]);
      try {
        await setSecret(sandbox, ['big', ...ORG, '--mount', '/big'], randomBytes(200_000));

        const run = await runCli(sandbox, [...buildArgs('failing'), '--tmpdir', small]);

        expect(run.exitCode).toBe(5);
        expect(run.stderr).toContain('the temp filesystem is full');
        expect(fs.readdirSync(small)).toEqual([]);
        const list = await runCli(sandbox, ['secret', 'list', ...ORG]);
        expect(list.stdout).toMatch(/organization acme +big +file/);
      } finally {
        execFileSync('umount', [small]);
        fs.rmdirSync(small);
        await runCli(sandbox, ['secret', 'rm', 'big', ...ORG]);
      }
    },
  );
});

const PROJECT_ARGS = ['--org', 'acme', '--project', 'web', '--network=none'];

/**
 * Mounting a small tmpfs and giving a directory to another user need root; CI runs as root on
 * this kind of machine.
 */
function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}
