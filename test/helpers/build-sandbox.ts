// A sandbox with what every build test needs: the loopback registry credential (organization
// scope) and a canary secret (project scope) that the fixtures mount.

import fs from 'node:fs';

import type { ResultPromise } from 'execa';

import { makeCanary } from './canary.js';
import { createSandbox, setSecret, startCli, type Sandbox } from './cli.js';
import { registryCredentials } from './engine.js';

export const ORG = ['--org', 'acme'];
export const PROJECT = [...ORG, '--project', 'web'];

export interface BuildSandbox extends Sandbox {
  readonly canary: Buffer;
}

export async function createBuildSandbox(): Promise<BuildSandbox> {
  const sandbox = createSandbox();
  const canary = makeCanary();
  const registry = registryCredentials();

  // A failed set-up (no built CLI) returns no sandbox for afterAll to remove: remove it here.
  try {
    await setSecret(
      sandbox,
      ['registry', ...ORG, '--registry', registry.host, '--username', registry.username],
      registry.password,
    );
    await setSecret(sandbox, ['canary', ...PROJECT, '--mount', '/run/canary'], canary);
  } catch (error) {
    sandbox.remove();
    throw error;
  }
  return { ...sandbox, canary };
}

/** `ona-build build` of a fixture, with a nonce build arg so no step comes from the cache. */
export function buildArgs(fixture: string, ...extra: string[]): string[] {
  const nonce = `${Date.now()}-${Math.random()}`;
  return [
    'build',
    ...PROJECT,
    '--network=none',
    '--progress=plain',
    '--build-arg',
    `NONCE=${nonce}`,
    ...extra,
    `fixtures/${fixture}`,
  ];
}

/**
 * Starts a build and resolves once its stderr shows `marker` (the step is running). The child is
 * wrapped: an async function returning the execa promise itself would wait for it to finish.
 */
export async function startBuildUntil(
  sandbox: Sandbox,
  args: string[],
  marker: string,
  env: Record<string, string> = {},
): Promise<{ child: ResultPromise }> {
  const child = startCli(sandbox, args, { env });
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${marker}" in:\n${seen}`)), 90_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void child.then(() => reject(new Error(`the build ended before "${marker}":\n${seen}`)));
  });
  return { child };
}

/** Pids of processes whose argv mentions `needle` (e.g. the sandbox's runtime dir). */
export function processesMentioning(needle: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((pid) => readCmdline(pid).includes(needle))
    .map(Number);
}

function readCmdline(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

export async function waitUntil(check: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}
