import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { type Match, NeedleMatcher } from './matcher.js';

/** Every occurrence by plain indexOf, sorted like `sorted` below: the answer to compare with. */
function oracle(needles: readonly Buffer[], data: Buffer): string[] {
  const found: Match[] = [];
  needles.forEach((needle, index) => {
    for (let at = data.indexOf(needle); at !== -1; at = data.indexOf(needle, at + 1)) {
      found.push({ needle: index, offset: at });
    }
  });
  return sorted(found);
}

function sorted(matches: readonly Match[]): string[] {
  return matches.map(({ needle, offset }) => `${offset}:${needle}`).sort();
}

/** Feeds `data` to a fresh stream in pieces cut at `cuts`. */
function inPieces(matcher: NeedleMatcher, data: Buffer, cuts: readonly number[]): string[] {
  const stream = matcher.stream();
  const found: Match[] = [];
  let from = 0;

  for (const cut of [...cuts, data.length]) {
    found.push(...stream.write(data.subarray(from, cut)));
    from = cut;
  }
  return sorted(found);
}

/** Random text over a small alphabet, so needles overlap, repeat and share prefixes. */
function smallAlphabet(length: number, alphabet = 'abc'): Buffer {
  return Buffer.from(
    Array.from({ length }, () => alphabet[Math.floor(Math.random() * 3)]).join(''),
  );
}

const WORDS = ['secret-one', 'one-two', 'secret', 'cret-o', 'xyzw', 'xyzwxyzw'].map((w) =>
  Buffer.from(w),
);
const TEXT = Buffer.from('..secret-one-two..xyzwxyzwxyzw..sec|ret..secret-on.');

describe('NeedleMatcher', () => {
  it('reports every occurrence of every needle, overlapping ones included', () => {
    const matcher = new NeedleMatcher(WORDS);

    expect(sorted(matcher.findAll(TEXT))).toEqual(oracle(WORDS, TEXT));
    expect(matcher.findAll(TEXT)).toHaveLength(11);
  });

  it('finds the same whatever single place the stream is split at', () => {
    const matcher = new NeedleMatcher(WORDS);
    const expected = oracle(WORDS, TEXT);

    for (let cut = 0; cut <= TEXT.length; cut++) {
      expect(inPieces(matcher, TEXT, [cut]), `split at ${cut}`).toEqual(expected);
    }
  });

  it('finds the same in chunks of every size, down to one byte', () => {
    const matcher = new NeedleMatcher(WORDS);
    const expected = oracle(WORDS, TEXT);

    for (let size = 1; size <= TEXT.length; size++) {
      const cuts = Array.from({ length: Math.ceil(TEXT.length / size) }, (_, i) => i * size);
      expect(inPieces(matcher, TEXT, cuts.slice(1)), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('agrees with indexOf on random needles, data and chunking', () => {
    for (let round = 0; round < 200; round++) {
      const needles = Array.from({ length: 1 + (round % 7) }, () =>
        smallAlphabet(4 + Math.floor(Math.random() * 30)),
      );
      const data = smallAlphabet(300);
      const cuts = Array.from({ length: round % 9 }, () => Math.floor(Math.random() * 300));
      const matcher = new NeedleMatcher(needles);

      expect(
        inPieces(
          matcher,
          data,
          cuts.sort((a, b) => a - b),
        ),
      ).toEqual(oracle(needles, data));
    }
  });

  it('finds needles longer than the longest stride at every offset', () => {
    const needles = [randomBytes(80), randomBytes(120)];

    for (let offset = 0; offset < 60; offset++) {
      const data = Buffer.concat([randomBytes(offset), needles[offset % 2], randomBytes(50)]);
      const cuts = [Math.floor(Math.random() * data.length)];
      expect(inPieces(new NeedleMatcher(needles), data, cuts)).toEqual([`${offset}:${offset % 2}`]);
    }
  });

  it('finds a needle spread over many chunks, reporting the offset of its first byte', () => {
    const needle = randomBytes(5000);
    const data = Buffer.concat([randomBytes(1234), needle, randomBytes(99)]);
    const cuts = Array.from({ length: 60 }, (_, i) => 1000 + i * 97);

    expect(inPieces(new NeedleMatcher([needle]), data, cuts)).toEqual(['1234:0']);
  });

  it('finds nothing in data without the needles, and nothing with no needles', () => {
    const data = randomBytes(100_000);

    expect(new NeedleMatcher([Buffer.from('not-in-random-data')]).findAll(data)).toEqual([]);
    expect(new NeedleMatcher([]).findAll(data)).toEqual([]);
  });

  it('refuses needles too short to sample', () => {
    expect(() => new NeedleMatcher([Buffer.from('abc')])).toThrow(RangeError);
  });
});
