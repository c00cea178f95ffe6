// Additional authenticated data and the canonical text of secret metadata. Both are bound into
// every ciphertext, so their encodings must never change without a FORMAT_VERSION bump.

import { StoreError } from '../../errors.js';
import {
  SECRET_TYPES,
  type RegistryTarget,
  type Scope,
  type SecretMeta,
  type SecretType,
} from '../model.js';
import { describeScope } from '../validate.js';
import { FORMAT_VERSION, scopeParams, type MetaRow, type SecretRow } from './schema.js';

export type SecretAad = (name: string, type: string, meta: string) => Buffer;

/** What the `meta` column holds; its exact text is part of the AAD. */
interface StoredMeta {
  mount?: string;
  registry?: RegistryTarget;
}

// AADs are JSON arrays: unambiguous however the strings are chosen, and the leading label keeps
// a wrapped key from ever being accepted as a secret or the other way round.
export function scopeKeyAad(scope: Scope): Buffer {
  return Buffer.from(
    JSON.stringify(['ona-build/scope-key', FORMAT_VERSION, ...scopeParams(scope)]),
  );
}

/**
 * The AAD of a secret is the JSON array [label, version, kind, org, owner, name, type, meta]. The
 * scope part is encoded once per scope, since reads build thousands of these.
 */
export function secretAad(scope: Scope): SecretAad {
  const head = JSON.stringify(['ona-build/secret', FORMAT_VERSION, ...scopeParams(scope)]);
  const prefix = head.slice(0, -1);
  return (name, type, meta) =>
    Buffer.from(`${prefix},${JSON.stringify([name, type, meta]).slice(1)}`);
}

/** Fixed key order, so equal metadata always gives the same text. */
export function encodeMeta(secret: SecretMeta): string {
  const meta: StoredMeta = {};
  if (secret.mount !== undefined) meta.mount = secret.mount;
  if (secret.registry) {
    const { host, username, kind } = secret.registry;
    meta.registry = kind === undefined ? { host, username } : { host, username, kind };
  }
  return JSON.stringify(meta);
}

export function toMeta(scope: Scope, row: MetaRow | SecretRow, file: string): SecretMeta {
  const [name, type, metaText, updatedAt] = row;
  const corrupt = () =>
    new StoreError(
      `secret ${name} (${describeScope(scope)}) in ${file} has corrupt metadata`,
      'STORE_TAMPERED',
    );

  if (!SECRET_TYPES.includes(type as SecretType)) throw corrupt();
  const fields = { name, type: type as SecretType, scope, updatedAt };
  // Most secrets have no metadata; skipping the parse for them is measurable on big reads.
  if (metaText === '{}') return fields;

  let meta: unknown;
  try {
    meta = JSON.parse(metaText);
  } catch {
    throw corrupt();
  }
  if (typeof meta !== 'object' || meta === null) throw corrupt();
  return { ...fields, ...(meta as StoredMeta) };
}
