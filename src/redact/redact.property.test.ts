import { describe, expect, it } from 'vitest';

import { buildMasks, MIN_MASK_LENGTH } from './masks.js';
import { Redactor } from './redactor.js';
import { seededRandom as random, streamThrough } from './__fixtures__/test-helpers.js';

// Values and filler share small alphabets, so near-misses and overlaps are common. None holds
// `*`, so the output can only contain a value if some occurrence escaped masking.
const ALPHABETS = ['ab', 'abc\n', 'abcdefgh \r\n', 'xyz0123456789+/=%'];

const STAR = 0x2a;

/** Line breaks are written as they are, so a value made only of them is no secret to find. */
const hasContent = (value: Buffer) => value.some((byte) => byte !== 0x0a && byte !== 0x0d);

/** The line breaks of `data` in order: masking keeps every one, so the output's lines stay. */
const lineBreaks = (data: Buffer) => data.toString('latin1').replace(/[^\r\n]/g, '');

function randomBytes(next: () => number, length: number, alphabet?: string): Buffer {
  const bytes = Buffer.alloc(length);

  for (let index = 0; index < length; index++) {
    if (alphabet) {
      bytes[index] = alphabet.charCodeAt(Math.floor(next() * alphabet.length));
      continue;
    }
    const byte = Math.floor(next() * 255); // every byte value but `*`
    bytes[index] = byte >= STAR ? byte + 1 : byte;
  }
  return bytes;
}

function randomCase(next: () => number, minLength: number) {
  const alphabet = next() < 0.2 ? undefined : ALPHABETS[Math.floor(next() * ALPHABETS.length)];
  const values = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
    randomBytes(next, minLength + Math.floor(next() * 30), alphabet),
  );

  const parts: Buffer[] = [];
  for (let count = Math.floor(next() * 12); count >= 0; count--) {
    parts.push(randomBytes(next, Math.floor(next() * 40), alphabet));
    parts.push(values[Math.floor(next() * values.length)]);
  }
  return { values, data: Buffer.concat(parts) };
}

function randomChunks(next: () => number, data: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    const size = 1 + Math.floor(next() * (next() < 0.5 ? 4 : 64));
    chunks.push(data.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('redaction of random values in random chunks', () => {
  it('never emits a value, keeps each line break, matches one-shot redaction', async () => {
    const next = random(20240611);

    for (let round = 0; round < 300; round++) {
      // Mostly the default minimum; sometimes tiny masks, which take the unsampled scan path.
      const minLength = round % 3 === 0 ? 1 + (round % 5) : MIN_MASK_LENGTH;
      const { values, data } = randomCase(next, minLength);
      const sources = values.map((value, index) => ({ id: `v${index}`, value }));
      const redactor = new Redactor(buildMasks(sources, { minLength }));
      const output = await streamThrough(redactor, randomChunks(next, data));

      expect(output.equals(redactor.redactBuffer(data)), `round ${round}`).toBe(true);
      expect(lineBreaks(output), `round ${round}`).toBe(lineBreaks(data));
      for (const value of values.filter(hasContent)) {
        expect(output.includes(value), `round ${round}`).toBe(false);
      }
    }
  });
});
