// Turns a plan into files: one file per secret in the run directory and a temporary docker
// config with registry auth. The run directory already exists (created by the caller and
// registered for cleanup) before anything with a value is written.

import fs from 'node:fs';
import path from 'node:path';

import type { Secret } from '../secrets/model.js';
import {
  writeDockerConfig,
  type DockerConfigOptions,
  type DockerConfigResult,
} from './docker-config.js';
import { writeFileExclusive } from './run-dir.js';

/** Where each secret goes: its id (the secret's name) and its file inside the run directory. */
export interface SecretFileTarget {
  readonly runDir: string;
  readonly secrets: readonly { readonly id: string; readonly file: string }[];
}

export async function materializeSecrets(
  plan: SecretFileTarget,
  secrets: readonly Secret[],
  options: DockerConfigOptions,
): Promise<DockerConfigResult> {
  const byName = new Map(secrets.map((secret) => [secret.name, secret]));

  fs.mkdirSync(path.join(plan.runDir, 'secrets'), { mode: 0o700 });
  // Aliases share a file with the secret they stand for: each file is written once.
  const written = new Set<string>();
  for (const planned of plan.secrets) {
    const secret = byName.get(planned.id);
    if (!secret || written.has(planned.file)) continue;
    writeFileExclusive(planned.file, secret.value);
    written.add(planned.file);
  }

  const registrySecrets = secrets.filter((secret) => secret.type === 'registry');
  return writeDockerConfig(plan.runDir, registrySecrets, options);
}
