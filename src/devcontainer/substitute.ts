// Variable substitution in devcontainer.json strings, as the dev container CLI does it before a
// build: upstream src/spec-common/variableSubstitution.ts, see
// https://github.com/devcontainers/cli/blob/3996e832ddfb31cd0226e161081187d18644ac63/src/spec-common/variableSubstitution.ts
// Where ona-build gives a different result, it says so in a warning rather than silently.

import path from 'node:path';

import { configError } from './config-error.js';
import { isObject } from './parse.js';

export interface SubstitutionContext {
  /** Absolute path of the workspace folder on this machine. */
  readonly localWorkspaceFolder: string;
  readonly env: NodeJS.ProcessEnv;
  /** Names the source in errors. */
  readonly configFile: string;
}

export interface SubstitutionResult<T> {
  readonly value: T;
  /** Unset variables, and what came out differently from the dev container CLI or not at all. */
  readonly warnings: string[];
}

// The reference's pattern: the shortest `${...}`, so variables do not nest.
const VARIABLE = /\$\{(.*?)\}/g;

// Substituted by the dev container CLI from container-side facts this build does not have.
const NOT_SUBSTITUTED = new Set([
  'containerWorkspaceFolder',
  'containerWorkspaceFolderBasename',
  'localHomeFolder',
]);

/**
 * Replaces variables in every string of a JSON value (object keys stay as they are, as in the
 * reference). Unknown forms such as `${containerEnv:X}` or `${devcontainerId}` are kept verbatim.
 */
export function substitute<T>(value: T, context: SubstitutionContext): SubstitutionResult<T> {
  const warnings = new Set<string>();
  const replace = (text: string) =>
    text.replace(VARIABLE, (match, inner: string) => resolve(match, inner, context, warnings));

  // Only strings change, and into strings, so the value keeps its shape and type.
  return { value: mapStrings(value, replace) as T, warnings: [...warnings] };
}

function mapStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, replace));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, mapStrings(item, replace)]),
  );
}

function resolve(
  match: string,
  inner: string,
  context: SubstitutionContext,
  warnings: Set<string>,
): string {
  const [name] = inner.split(':');
  switch (name) {
    case 'env':
    case 'localEnv':
      return lookupEnv(match, context, warnings);
    case 'localWorkspaceFolder':
      return context.localWorkspaceFolder;
    case 'localWorkspaceFolderBasename':
      return path.basename(context.localWorkspaceFolder);
    default:
      if (NOT_SUBSTITUTED.has(name)) {
        warnings.add(`${match} is left as it is; the dev container CLI would substitute it`);
      }
      return match;
  }
}

/** `${localEnv:NAME}` and `${localEnv:NAME:default}`; a variable set to '' counts as set. */
function lookupEnv(match: string, context: SubstitutionContext, warnings: Set<string>): string {
  const [kind, name, ...defaultParts] = match.slice(2, -1).split(':');
  if (name === undefined) {
    throw configError(context.configFile, `${match} names no environment variable`);
  }

  const value = context.env[name];
  if (typeof value === 'string') return value;

  if (defaultParts.length === 0) {
    warnings.add(`${match}: ${name} is not set, so it becomes an empty string`);
    return '';
  }

  // Upstream keeps only the text up to the next ':' (devcontainers/cli#883, still open), which
  // turns a default such as https://example.com into "https". The default is not echoed: it
  // comes from the file but could still be something private.
  if (defaultParts.length > 1) {
    warnings.add(
      `\${${kind}:${name}:...}: ${name} is not set and its default contains ':'; ona-build uses ` +
        "the whole default, the dev container CLI only the part before the first ':'",
    );
  }
  return defaultParts.join(':');
}
