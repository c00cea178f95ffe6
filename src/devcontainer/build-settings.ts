// The `build` properties besides the Dockerfile and context: args, target, cacheFrom, options.
// Mirrors how upstream turns them into `docker build` arguments (buildAndExtendImage, see
// https://github.com/devcontainers/cli/blob/d4ff072abe2afb963f2e769fd939b97895dae196/src/spec-node/singleContainer.ts).

import { configError } from './config-error.js';
import { has, optionalObject, optionalString, stringList } from './fields.js';

export interface BuildSettings {
  readonly args: Record<string, string>;
  readonly target?: string;
  readonly cacheFrom: string[];
  readonly options: string[];
}

export function readBuildSettings(build: Record<string, unknown>, file: string): BuildSettings {
  // Upstream skips an empty target (`if (target)`).
  const target = optionalString({ object: build, key: 'target', label: 'build.target', file });

  return {
    args: readArgs(build, file),
    ...(target ? { target } : {}),
    cacheFrom: readCacheFrom(build, file),
    options: stringList({ object: build, key: 'options', label: 'build.options', file }),
  };
}

/**
 * Upstream writes `${key}=${value}`, so a number or boolean arrives as String(value); the same
 * happens here. Anything else would arrive as "null" or "[object Object]", so it is an error.
 */
function readArgs(build: Record<string, unknown>, file: string): Record<string, string> {
  const args = optionalObject({ object: build, key: 'args', label: 'build.args', file });
  const result: Record<string, string> = {};

  for (const [name, value] of Object.entries(args)) {
    // buildx splits NAME=value at the first '=', so such a name would change meaning.
    if (name === '' || name.includes('=')) {
      throw configError(file, `build.args has a name that is empty or contains '=': "${name}"`);
    }
    if (typeof value === 'string') result[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') result[name] = String(value);
    else throw configError(file, `build.args.${name} must be a string, number or boolean`);
  }
  return result;
}

/** A string or a list of strings; empty entries are dropped. */
function readCacheFrom(build: Record<string, unknown>, file: string): string[] {
  const value = has(build, 'cacheFrom') ? build.cacheFrom : [];
  const entries = typeof value === 'string' ? [value] : value;
  if (
    Array.isArray(entries) &&
    entries.every((entry): entry is string => typeof entry === 'string')
  ) {
    return entries.filter((entry) => entry !== '');
  }
  throw configError(file, 'build.cacheFrom must be a string or a list of strings');
}
