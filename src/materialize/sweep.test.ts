import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BUILDER_FILE, createRunDir, ownerStamp } from './run-dir.js';
import { sweepStaleRunDirs } from './sweep.js';

/** The pid of a process that has run and exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  expect(ownerStamp(child.pid)).toBeUndefined();
  return child.pid;
}

/** A long-running child that leads its own process group, like the builder does. */
function startGroupLeader(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
    detached: true,
    stdio: 'ignore',
  });
}

function exitSignal(child: ChildProcess): Promise<NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.signalCode);
  }
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

/** 'running' when the child is still alive after a grace period long enough for a SIGKILL. */
async function stateAfterGrace(child: ChildProcess): Promise<string> {
  const outcome = await Promise.race([exitSignal(child), sleep(500).then(() => 'running')]);
  return outcome ?? 'exited';
}

function runDir(root: string, name: string, owner?: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { mode: 0o700 });
  if (owner !== undefined) fs.writeFileSync(path.join(dir, '.owner'), owner);
  fs.mkdirSync(path.join(dir, 'secrets'));
  fs.writeFileSync(path.join(dir, 'secrets', '0'), 'stale secret');
  return dir;
}

describe('sweepStaleRunDirs', () => {
  let root: string;
  let outside: string;

  beforeEach(() => {
    root = fs.mkdtempSync('/dev/shm/sweep-test-');
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sweep-test-outside-'));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('removes a run dir whose .owner names a process that has exited', () => {
    const pid = deadPid();
    const dir = runDir(root, `ona-build-${pid}-AbCdEf`, `${pid} 123456`);

    const result = sweepStaleRunDirs([root]);

    expect(result).toEqual({ removed: [dir], kept: [] });
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('keeps the run dir of the live current process', () => {
    const run = createRunDir(root);

    const result = sweepStaleRunDirs([root]);

    expect(result).toEqual({ removed: [], kept: [run.path] });
    expect(fs.existsSync(path.join(run.path, '.owner'))).toBe(true);
  });

  it('removes a dir whose pid is alive but was reused by another process', () => {
    const dir = runDir(root, `ona-build-${process.pid}-reused`, `${process.pid} 1`);

    expect(sweepStaleRunDirs([root]).removed).toEqual([dir]);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('without an .owner file, keeps the dir while the pid in its name lives', () => {
    const live = runDir(root, `ona-build-${process.pid}-nownr1`);
    const pid = deadPid();
    const dead = runDir(root, `ona-build-${pid}-nownr2`);

    const result = sweepStaleRunDirs([root]);

    expect(result).toEqual({ removed: [dead], kept: [live] });
  });

  it('leaves directories alone whose names no run would have given', () => {
    const pid = deadPid();
    const mine = [
      runDir(root, 'ona-build-notours'),
      runDir(root, `ona-build-${pid}-toolong7`),
      runDir(root, `ona-build-${pid}-x`),
    ];

    expect(sweepStaleRunDirs([root]).removed).toEqual([]);
    for (const dir of mine) expect(fs.existsSync(dir)).toBe(true);
  });

  it('leaves unrelated entries alone, even stale-looking ones that are not directories', () => {
    const pid = deadPid();
    const unrelated = runDir(root, `other-${pid}-AbCdEf`, `${pid} 1`);
    const file = path.join(root, `ona-build-${pid}-file`);
    fs.writeFileSync(file, `${pid} 1`);
    const target = runDir(outside, 'target', `${pid} 1`);
    const link = path.join(root, `ona-build-${pid}-link`);
    fs.symlinkSync(target, link);

    const result = sweepStaleRunDirs([root]);

    expect(result).toEqual({ removed: [], kept: [] });
    expect(fs.existsSync(path.join(unrelated, 'secrets', '0'))).toBe(true);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.join(target, 'secrets', '0'))).toBe(true);
  });

  it('does not follow a symlink inside a stale dir', () => {
    const pid = deadPid();
    const victim = path.join(outside, 'keep.txt');
    fs.writeFileSync(victim, 'precious');
    const dir = runDir(root, `ona-build-${pid}-linked`, `${pid} 1`);
    fs.symlinkSync(outside, path.join(dir, 'escape'));

    sweepStaleRunDirs([root]);

    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
  });

  describe('with a builder recorded by a killed run', () => {
    let builder: ChildProcess | undefined;

    afterEach(async () => {
      if (builder?.pid !== undefined && builder.exitCode === null && builder.signalCode === null) {
        builder.kill('SIGKILL');
        await exitSignal(builder);
      }
      builder = undefined;
    });

    it("kills the builder's process group before removing the dir", async () => {
      builder = startGroupLeader();
      const pid = deadPid();
      const dir = runDir(root, `ona-build-${pid}-orphan`, `${pid} 1`);
      await new Promise((resolve) => builder!.once('spawn', resolve));
      fs.writeFileSync(path.join(dir, BUILDER_FILE), ownerStamp(builder.pid!)!);

      const result = sweepStaleRunDirs([root]);

      expect(result.removed).toEqual([dir]);
      expect(await exitSignal(builder)).toBe('SIGKILL');
    });

    it('leaves a process alone when its start time does not match the record', async () => {
      builder = startGroupLeader();
      const pid = deadPid();
      const dir = runDir(root, `ona-build-${pid}-reused`, `${pid} 1`);
      await new Promise((resolve) => builder!.once('spawn', resolve));
      fs.writeFileSync(path.join(dir, BUILDER_FILE), `${builder.pid} 1`);

      expect(sweepStaleRunDirs([root]).removed).toEqual([dir]);
      expect(await stateAfterGrace(builder)).toBe('running');
    });

    it('does not touch the builder of a run that is still alive', async () => {
      builder = startGroupLeader();
      const run = createRunDir(root);
      await new Promise((resolve) => builder!.once('spawn', resolve));
      run.recordBuilder(builder.pid!);

      expect(sweepStaleRunDirs([root]).kept).toEqual([run.path]);
      expect(await stateAfterGrace(builder)).toBe('running');
    });
  });

  it('sweeps each root once and skips roots that do not exist', () => {
    const pid = deadPid();
    const dir = runDir(root, `ona-build-${pid}-twice1`, `${pid} 1`);

    const result = sweepStaleRunDirs([root, root, path.join(root, 'missing')]);

    expect(result.removed).toEqual([dir]);
  });
});
