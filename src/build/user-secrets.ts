// The values of the `--secret` flags a user passes to `build` themselves. ona-build does not
// provide them, but they are secrets all the same: those read from files are masked in the
// build's output like stored ones.

import fs from 'node:fs';

import type { Logger } from '../log.js';
import type { MaskSource, Redactor } from '../redact/index.js';
import { MAX_SECRET_BYTES } from '../secrets/model.js';
import type { UserSecretSpec } from './passthrough.js';

/** Registers the values of the user's own `--secret` flags with the redactor. */
export function maskUserSecrets(
  specs: readonly UserSecretSpec[],
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  logger: Logger,
): void {
  const sources: MaskSource[] = [];
  for (const spec of specs) {
    const value = valueOf(spec, env);
    if (value === undefined) {
      logger.debug(`the value of --secret id=${spec.id} is not read from a file: not masked`);
      continue;
    }
    sources.push({ id: spec.id, value });
  }

  for (const { id } of redactor.add(sources)) {
    logger.warn(`--secret id=${id} is too short to be masked in output; use a longer value`);
  }
}

/**
 * buildx reads `src` from a file and `env` from a variable; with neither, the variable named as
 * the id, else the file. Only file values are masked: a variable's value goes into the builder's
 * environment, as asked, where the leak guard (exec.ts) would take a masked value for a leak.
 */
function valueOf(spec: UserSecretSpec, env: NodeJS.ProcessEnv): Buffer | undefined {
  if (spec.env !== undefined) return undefined;
  if (spec.src !== undefined) return readSmallFile(spec.src);
  return env[spec.id] === undefined ? readSmallFile(spec.id) : undefined;
}

// Only regular files BuildKit would take: a FIFO or a device would block or never end.
function readSmallFile(file: string): Buffer | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_SECRET_BYTES) return undefined;
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
