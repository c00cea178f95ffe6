// Validation of names, mounts and values. Errors name the secret and its scope, never the value.

import path from 'node:path';

import { SecretError, UsageError } from '../errors.js';
import { MAX_NAME_LENGTH, MAX_SECRET_BYTES, type Scope, type Secret } from './model.js';

const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_ENV_NAMES = new Set(['HOME', 'LD_PRELOAD', 'PATH', 'PWD', 'SHELL', 'USER']);

/** Scope as people read it: `project acme/web`, `organization acme`. */
export function describeScope(scope: Scope): string {
  if (scope.kind === 'organization') return `organization ${scope.org}`;
  return `${scope.kind} ${scope.org}/${scope.owner}`;
}

/**
 * Names travel byte for byte to BuildKit secret ids, so they are checked here and never
 * transformed later. The pattern excludes `,` `"` `=` and newlines, which would break the CSV
 * `--secret` spec.
 */
export function validateName(name: string): void {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new SecretError(`secret name must be 1 to ${MAX_NAME_LENGTH} characters long`);
  }
  if (name === '.' || name === '..') {
    throw new SecretError(
      `invalid secret name "${name}": it would name a directory`,
      'SECRET_NAME',
    );
  }
  // A name that breaks the rule may be a value typed where the name goes (`NAME=VALUE`, `NAME
  // VALUE`, `user:token`), so it is never repeated; its first wrong character says what is wrong.
  const wrong = [...name].find((char) => !NAME_PATTERN.test(char));
  if (wrong !== undefined) {
    const hint = wrong === '=' ? '; values are read from stdin or --from-file, never argv' : '';
    throw new SecretError(
      `invalid secret name: it contains ${describeChar(wrong)} (not repeated here: it may ` +
        `hold a value); use letters, digits, '_', '.' and '-'${hint}`,
      'SECRET_NAME',
    );
  }
}

function describeChar(char: string): string {
  const code = char.codePointAt(0)!;
  if (char === ' ') return 'a space';
  if (code > 0x20 && code < 0x7f) return `'${char}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Scope names (organizations, projects, users, service accounts) follow the same rule. A bad one
 * is a usage error (exit 2): it comes from an option such as --org, not from a stored secret.
 */
export function validateScope(scope: Scope): void {
  for (const [label, value] of [
    ['organization', scope.org],
    [scope.kind, scope.owner],
  ] as const) {
    // Not repeated, as secret names are not: a value may have been typed in its place.
    if (value.length === 0 || value.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(value)) {
      throw new UsageError(
        `invalid ${label} name (not repeated here): use 1 to ${MAX_NAME_LENGTH} letters, ` +
          `digits, '_', '.' and '-'`,
        'SCOPE_NAME',
      );
    }
    if (value === '.' || value === '..') {
      throw new UsageError(
        `invalid ${label} name "${value}": it would name a directory`,
        'SCOPE_NAME',
      );
    }
  }
}

export function validateSecret(secret: Secret): void {
  const where = `secret ${secret.name} (${describeScope(secret.scope)})`;

  validateScope(secret.scope);
  validateName(secret.name);

  if (secret.value.length > MAX_SECRET_BYTES) {
    throw new SecretError(
      `${where} is ${secret.value.length} bytes; BuildKit accepts at most ${MAX_SECRET_BYTES}`,
      'SECRET_TOO_LARGE',
    );
  }

  switch (secret.type) {
    case 'env':
      validateEnvName(secret.name, secret.scope, where);
      break;
    case 'file':
      validateMount(secret.mount, where);
      break;
    case 'registry':
      if (!secret.registry?.host || !secret.registry.username) {
        throw new SecretError(`${where}: a registry secret needs a registry host and a username`);
      }
      if (secret.registry.username.includes(':') && secret.registry.kind !== 'identity') {
        throw new SecretError(`${where}: a registry username cannot contain ':'`);
      }
      break;
    case 'api-only':
      break;
  }
}

function validateEnvName(name: string, scope: Scope, where: string): void {
  // Not repeated: a name like 9f8e7d6c5b4a is more likely a value typed in its place.
  if (!ENV_NAME_PATTERN.test(name)) {
    throw new SecretError(
      `invalid env secret name in ${describeScope(scope)} (not repeated here): an env ` +
        `secret's name must be a valid variable name (letters, digits and '_', not starting ` +
        'with a digit)',
      'SECRET_NAME',
    );
  }
  if (RESERVED_ENV_NAMES.has(name.toUpperCase())) {
    throw new SecretError(`${where}: ${name} is reserved and cannot be set by a secret`);
  }
}

// C0 and C1 control characters, DEL, and U+FFFD (what a byte that is not UTF-8 became in argv).
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\ufffd]/;

/** A path in quotes, its unprintable characters as \u escapes, so a terminal shows them all. */
function quotePath(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\ufffd]/g, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

const PATH_MAX = 4096;

function validateMount(mount: string | undefined, where: string): void {
  if (!mount) throw new SecretError(`${where}: a file secret needs --mount with an absolute path`);
  // Linux's PATH_MAX: no container could open a longer path (and it is not repeated: too long).
  if (Buffer.byteLength(mount) >= PATH_MAX) {
    throw new SecretError(`${where}: a mount path must be under ${PATH_MAX} bytes`);
  }

  const shown = quotePath(mount);
  if (UNPRINTABLE.test(mount)) {
    const what = /[\n\r]/.test(mount) ? 'a line break' : 'a control character';
    throw new SecretError(`${where}: mount path ${shown} holds ${what}`);
  }
  if (!path.posix.isAbsolute(mount)) {
    throw new SecretError(`${where}: mount path ${shown} must be absolute`);
  }
  const normal = path.posix.normalize(mount).replace(/(.)\/$/, '$1');
  if (normal === '/') throw new SecretError(`${where}: mount path ${shown} names no file`);
  if (normal !== mount) {
    throw new SecretError(`${where}: mount path ${shown} is not normalised: write ${normal}`);
  }
}
