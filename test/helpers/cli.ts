// Runs the built CLI (dist/bin/ona-build.js) as a user would, in an isolated sandbox: its own
// store, key file, HOME and tmpfs runtime directory, so tests can inspect everything it leaves.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { execa, type ResultPromise } from 'execa';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'bin', 'ona-build.js');

export interface Sandbox {
  readonly dir: string;
  /** The tmpfs directory given to the CLI as XDG_RUNTIME_DIR: where secret files go. */
  readonly runtimeDir: string;
  readonly env: Record<string, string>;
  remove(): void;
}

export function createSandbox(): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-it-'));
  const runtimeDir = fs.mkdtempSync('/dev/shm/ona-it-run-');
  fs.chmodSync(runtimeDir, 0o700);
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);

  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_RUNTIME_DIR: runtimeDir,
    ONA_BUILD_STORE: path.join(dir, 'store.db'),
    ONA_BUILD_KEY_FILE: path.join(dir, 'master.key'),
  };
  return {
    dir,
    runtimeDir,
    env,
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(runtimeDir, { recursive: true, force: true });
    },
  };
}

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as bytes, for output that is not text (a tar from `-o -`). */
  readonly stdoutBytes: Buffer;
  readonly raw: Buffer;
}

export interface CliOptions {
  readonly input?: Buffer | string;
  /** A file to write stderr to instead of collecting it, e.g. /dev/full. */
  readonly stderrFile?: string;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Kill the CLI after this many ms (a hang then fails the test instead of timing it out). */
  readonly timeout?: number;
}

/** Starts the CLI without waiting, for tests that signal it mid-run. */
export function startCli(
  sandbox: Sandbox,
  args: string[],
  options: CliOptions = {},
): ResultPromise {
  return execa(process.execPath, [CLI, ...args], {
    env: { ...sandbox.env, ...options.env },
    extendEnv: false,
    cwd: options.cwd ?? REPO_ROOT,
    input: options.input,
    stderr: options.stderrFile === undefined ? 'pipe' : { file: options.stderrFile },
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    timeout: options.timeout,
  });
}

export async function runCli(
  sandbox: Sandbox,
  args: string[],
  options: CliOptions = {},
): Promise<CliRun> {
  const result = await startCli(sandbox, args, options);
  const stdout = Buffer.from(result.stdout as Uint8Array);
  const stderr = Buffer.from((result.stderr as Uint8Array | undefined) ?? []);
  return {
    exitCode: result.exitCode ?? -1,
    stdout: stdout.toString('utf8'),
    stderr: stderr.toString('utf8'),
    stdoutBytes: stdout,
    raw: Buffer.concat([stdout, stderr]),
  };
}

/** `secret set` with the value on stdin; fails the test if the CLI refuses. */
export async function setSecret(
  sandbox: Sandbox,
  args: string[],
  value: Buffer | string,
): Promise<void> {
  const run = await runCli(sandbox, ['secret', 'set', ...args], { input: value });
  if (run.exitCode !== 0) throw new Error(`secret set ${args.join(' ')} failed: ${run.stderr}`);
}
