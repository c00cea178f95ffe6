// AES-256-GCM sealing of one value under one key. The caller supplies the associated data (AAD)
// that binds a ciphertext to where it belongs, so a value copied elsewhere fails to open.

import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/**
 * A raw 32-byte key, or a KeyObject made from one with createSecretKey. Callers that decrypt many
 * values under one key pass a KeyObject: Node otherwise converts the Buffer on every call.
 */
export type CipherKey = Buffer | KeyObject;

export interface Sealed {
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/**
 * Opening failed: wrong key, altered bytes or different AAD. GCM cannot tell these apart, so the
 * message says nothing more; callers rethrow it as a StoreError naming what they were opening.
 */
export class DecryptError extends Error {
  constructor() {
    super('authentication failed');
    this.name = 'DecryptError';
  }
}

export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function encrypt(key: CipherKey, plaintext: Buffer, aad: Buffer): Sealed {
  // A fresh random nonce per call: with 96-bit nonces, reuse under one key stays negligible far
  // beyond the number of writes a secret store sees.
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);

  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}

export function decrypt(key: CipherKey, sealed: Sealed, aad: Buffer): Buffer {
  // Node accepts truncated GCM tags unless told otherwise; a short tag would weaken the check.
  if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new DecryptError();
  }

  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    const head = decipher.update(sealed.ciphertext);
    const tail = decipher.final();
    // GCM's final() returns nothing more; skipping the copy matters when reading thousands.
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    throw new DecryptError();
  }
}
