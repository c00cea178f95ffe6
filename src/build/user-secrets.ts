// The values of the `--secret` flags a user passes to `build` themselves. ona-build does not
// provide them, but they are secrets all the same: they are masked in the build's output like
// stored ones, whether buildx reads them from a file or from a variable.

import fs from 'node:fs';

import type { Logger } from '../log.js';
import type { MaskSource, Redactor } from '../redact/index.js';
import { MAX_SECRET_BYTES } from '../secrets/model.js';
import { secretVariable, type UserSecretSpec } from './passthrough.js';

/** Registers the values of the user's own `--secret` flags with the redactor. */
export function maskUserSecrets(
  specs: readonly UserSecretSpec[],
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  logger: Logger,
): void {
  const sources: MaskSource[] = [];
  for (const spec of specs) {
    const variable = secretVariable(spec, env);
    const value = variable === undefined ? fileValue(spec) : variableValue(variable, env);
    if (value === undefined) {
      logger.debug(`the value of --secret id=${spec.id} cannot be read here: not masked`);
      continue;
    }
    sources.push({ id: spec.id, value });
  }

  for (const { id } of redactor.add(sources)) {
    logger.warn(`--secret id=${id} is too short to be masked in output; use a longer value`);
  }
}

/** buildx reads `src`, or with neither `src` nor a variable of that name, the file named `id`. */
function fileValue(spec: UserSecretSpec): Buffer | undefined {
  return readSmallFile(spec.src ?? spec.id);
}

/** An unset variable is buildx's error to report; there is nothing to mask. */
function variableValue(name: string, env: NodeJS.ProcessEnv): Buffer | undefined {
  const value = env[name];
  return value === undefined ? undefined : Buffer.from(value, 'utf8');
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
