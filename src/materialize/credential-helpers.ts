// Looks up docker credential helpers the way the docker client does: `docker-credential-<name>`
// on PATH. Only `list` is ever called, which returns server names and usernames, no secrets.

import { spawnChecked } from '../exec.js';
import { which } from '../which.js';
import type { Redactor } from '../redact/index.js';

export function helperExists(name: string, env: NodeJS.ProcessEnv): boolean {
  return findHelper(name, env) !== undefined;
}

export function findHelper(name: string, env: NodeJS.ProcessEnv): string | undefined {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return undefined;

  return which(`docker-credential-${name}`, env);
}

/** The servers a credential store knows; empty when it cannot be asked. */
export async function listHelperServers(
  name: string,
  env: NodeJS.ProcessEnv,
  guard: Redactor,
): Promise<string[]> {
  const helper = findHelper(name, env);
  if (!helper) return [];

  const childEnv = { PATH: env.PATH ?? '', HOME: env.HOME ?? '' };
  const result = await spawnChecked(helper, ['list'], { env: childEnv, guard, stderr: 'ignore' });
  if (result.exitCode !== 0 || !result.stdout) return [];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(result.stdout).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}
