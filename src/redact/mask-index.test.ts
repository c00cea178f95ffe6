import { describe, expect, it } from 'vitest';

import { addRange, MaskIndex, PIECE_MIN, type Ranges } from './mask-index.js';
import { seededRandom as random } from './__fixtures__/test-helpers.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

function scan(masks: string[], text: string, from = 0) {
  const { ranges, partialFrom, partials } = new MaskIndex(masks.map(bytes)).scan(bytes(text), from);
  return {
    ranges,
    partialFrom,
    partials: partials.map(({ start, mask }) => [start, mask.toString()]),
  };
}

// The obvious algorithm, to check the sampled scan against: every occurrence of every mask, and
// the first position whose tail is a proper prefix of some mask.
/** Whole copies, and copies of at least half a mask (PIECE_MIN bytes or more) cut short. */
function naiveScan(masks: Buffer[], data: Buffer) {
  const found: [number, number][] = [];
  for (const mask of masks) {
    for (let start = 0; start < data.length; start++) {
      let at = 0;
      while (at < mask.length && start + at < data.length && data[start + at] === mask[at]) at++;
      const cut = start + at < data.length && at >= PIECE_MIN && at * 2 >= mask.length;
      if (at === mask.length || cut) found.push([start, start + at]);
    }
  }

  const ranges: Ranges = [];
  for (const [start, end] of found.sort((a, b) => a[0] - b[0])) addRange(ranges, start, end);
  const isPartial = (start: number) =>
    masks.some(
      (mask) => mask.length > data.length - start && mask.indexOf(data.subarray(start)) === 0,
    );
  let partialFrom = 0;
  while (partialFrom < data.length && !isPartial(partialFrom)) partialFrom++;
  return { ranges, partialFrom };
}

function randomText(next: () => number, length: number, alphabet: string): Buffer {
  let text = '';
  for (let index = 0; index < length; index++)
    text += alphabet[Math.floor(next() * alphabet.length)];
  return bytes(text);
}

describe('MaskIndex', () => {
  it('finds nothing when it has no masks', () => {
    expect(scan([], 'anything at all')).toEqual({ ranges: [], partialFrom: 15, partials: [] });
  });

  it('reports each occurrence as a range', () => {
    expect(scan(['secret'], 'a secret and a secret').ranges).toEqual([2, 8, 15, 21]);
  });

  it('joins overlapping and touching occurrences into one range', () => {
    expect(scan(['abcdef', 'defghi'], '-abcdefghi-').ranges).toEqual([1, 10]);
    expect(scan(['abcdef', 'uvwxyz'], '-abcdefuvwxyz-').ranges).toEqual([1, 13]);
  });

  it('prefers the longest mask starting at a position', () => {
    expect(scan(['abcdef', 'abcdefgh'], 'abcdefgh').ranges).toEqual([0, 8]);
  });

  it('reports the longest tail that could still become a mask', () => {
    expect(scan(['secret'], 'the sec').partialFrom).toBe(4);
    expect(scan(['secret'], 'the s').partialFrom).toBe(4);
    expect(scan(['secret'], 'the end').partialFrom).toBe(7);
  });

  it('lists every mask cut short by the end of the data', () => {
    expect(scan(['secret', 'second'], 'a sec').partials).toEqual(
      expect.arrayContaining([
        [2, 'second'],
        [2, 'secret'],
      ]),
    );
  });

  it('treats a whole mask that starts a longer one as a partial match too', () => {
    expect(scan(['abcdef', 'abcdefgh'], 'xabcdef')).toEqual({
      ranges: [1, 7],
      partialFrom: 1,
      partials: [[1, 'abcdefgh']],
    });
  });

  it('scans only the starts from the given offset on', () => {
    expect(scan(['secret'], 'secret secret secret', 3).ranges).toEqual([7, 13, 14, 20]);
    expect(scan(['secret'], 'secret secret secret', 7).ranges).toEqual([7, 13, 14, 20]);
    expect(scan(['secret'], 'secret secret secret', 8).ranges).toEqual([14, 20]);
  });

  it('handles masks shorter than a block', () => {
    expect(scan(['x', 'ab'], 'abxcab').ranges).toEqual([0, 3, 4, 6]);
    expect(scan(['x', 'ab'], 'cca').partialFrom).toBe(2);
  });

  it('agrees with a naive scan on random data and masks', () => {
    const next = random(42);

    for (let round = 0; round < 300; round++) {
      const alphabet = round % 2 === 0 ? 'ab' : 'abcdefgh';
      const masks = Array.from({ length: 1 + Math.floor(next() * 12) }, () =>
        randomText(next, 1 + Math.floor(next() * 10) + (round % 3 === 0 ? 0 : 5), alphabet),
      );
      const data = randomText(next, Math.floor(next() * 200), alphabet);

      const { ranges, partialFrom } = new MaskIndex(masks).scan(data);
      expect({ ranges, partialFrom }, `round ${round}`).toEqual(naiveScan(masks, data));
    }
  });
});

describe('addRange', () => {
  it('appends, extends and joins ranges added in order of start', () => {
    const ranges: Ranges = [];

    addRange(ranges, 2, 5);
    addRange(ranges, 4, 7);
    addRange(ranges, 7, 9);
    addRange(ranges, 11, 12);
    addRange(ranges, 11, 13);
    expect(ranges).toEqual([2, 9, 11, 13]);
  });
});
