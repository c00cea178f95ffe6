import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { decrypt, DecryptError, encrypt, generateKey, type Sealed } from './envelope.js';

const aad = Buffer.from('project acme/web NPM_TOKEN');

function flipFirstByte(buffer: Buffer): Buffer {
  const copy = Buffer.from(buffer);
  copy[0] ^= 0x01;
  return copy;
}

describe('envelope', () => {
  it.each([
    ['an empty value', Buffer.alloc(0)],
    ['every byte value', Buffer.from(Array.from({ length: 256 }, (_, i) => i))],
    ['CRLF and trailing newlines', Buffer.from('line one\r\nline two\r\n\n\n')],
    ['a 512,000-byte value', randomBytes(512_000)],
  ])('round-trips %s byte for byte', (_, plaintext) => {
    const key = generateKey();

    const sealed = encrypt(key, plaintext, aad);

    expect(sealed.ciphertext.length).toBe(plaintext.length);
    expect(Buffer.compare(decrypt(key, sealed, aad), plaintext)).toBe(0);
  });

  it('uses a fresh 12-byte nonce and a 16-byte tag on every call', () => {
    const key = generateKey();
    const plaintext = Buffer.from('same value');

    const first = encrypt(key, plaintext, aad);
    const second = encrypt(key, plaintext, aad);

    expect(first.nonce).toHaveLength(12);
    expect(first.tag).toHaveLength(16);
    expect(first.nonce.equals(second.nonce)).toBe(false);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
  });

  it('generates distinct 32-byte keys', () => {
    const first = generateKey();

    expect(first).toHaveLength(32);
    expect(first.equals(generateKey())).toBe(false);
  });

  const tamperings: [string, (sealed: Sealed) => Sealed, Buffer?, Buffer?][] = [
    ['a wrong key', (s) => s, generateKey()],
    ['different associated data', (s) => s, undefined, Buffer.from('project acme/api NPM_TOKEN')],
    ['a flipped ciphertext byte', (s) => ({ ...s, ciphertext: flipFirstByte(s.ciphertext) })],
    ['a flipped tag byte', (s) => ({ ...s, tag: flipFirstByte(s.tag) })],
    ['a flipped nonce byte', (s) => ({ ...s, nonce: flipFirstByte(s.nonce) })],
    ['a truncated tag', (s) => ({ ...s, tag: s.tag.subarray(0, 4) })],
    ['a truncated ciphertext', (s) => ({ ...s, ciphertext: s.ciphertext.subarray(1) })],
  ];

  it.each(tamperings)('refuses to decrypt with %s', (_, tamper, otherKey, otherAad) => {
    const key = generateKey();
    const plaintext = Buffer.from('s3cr3t-value');
    const sealed = tamper(encrypt(key, plaintext, aad));

    const open = () => decrypt(otherKey ?? key, sealed, otherAad ?? aad);

    expect(open).toThrow(DecryptError);
    expect(open).toThrow('authentication failed');
  });

  it('refuses a key of the wrong length without revealing anything', () => {
    const sealed = encrypt(generateKey(), Buffer.from('s3cr3t-value'), aad);

    expect(() => decrypt(Buffer.alloc(16), sealed, aad)).toThrow(DecryptError);
  });
});
