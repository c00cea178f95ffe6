// Looks up docker credential helpers the way the docker client does: `docker-credential-<name>`
// on PATH. Only `list` is ever called, which returns server names and usernames, no secrets.

import fs from 'node:fs';
import path from 'node:path';

import { spawnChecked } from '../exec.js';
import type { Redactor } from '../redact/index.js';

export function helperExists(name: string, env: NodeJS.ProcessEnv): boolean {
  return findHelper(name, env) !== undefined;
}

export function findHelper(name: string, env: NodeJS.ProcessEnv): string | undefined {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return undefined;

  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, `docker-credential-${name}`);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
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
