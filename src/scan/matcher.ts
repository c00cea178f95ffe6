// Finds every occurrence of many needles in a byte stream, reading only a fraction of the bytes.
//
// Every needle is at least `shortest` bytes long, so any occurrence covers a 4-byte block starting
// at each of its first `stride` offsets (stride = shortest - 3, capped). The scan therefore reads
// one block every `stride` bytes and looks it up in a hashed bitset of all such needle blocks;
// images are mostly binary or ordinary text, so nearly every lookup misses and the scan moves on.
// A hit is looked up exactly (block -> needles and the offsets they hold it at) and only those
// starts are compared. The redactor's MaskIndex (src/redact/mask-index.ts) samples the same way,
// but reports merged covered ranges rather than which needle matched where, which a leak report
// needs; this is the variant that does.
//
// A stream is searched chunk by chunk without copying: the starts of a chunk whose needles cannot
// fit in it are checked by their first two bytes, and needles cut short by the end of a chunk are
// carried over and finished against the next one.

import { BlockFilter, MULTIPLIER } from './block-filter.js';

export interface Match {
  /** Index into the needles the matcher was built with. */
  readonly needle: number;
  /** Offset of the first byte in the stream. */
  readonly offset: number;
}

/** Needles shorter than a block cannot be sampled; the scanner never builds any under 6 bytes. */
export const MIN_NEEDLE_LENGTH = 4;

const BLOCK = 4;
// More offsets per needle mean fewer samples but a larger bitset; past this it stops paying off.
const MAX_STRIDE = 48;

/** A needle whose start the stream has shown but whose end is still to come. */
export interface OpenMatch {
  readonly needle: number;
  /** Stream offset of the needle's first byte. */
  readonly start: number;
  /** How many of its bytes the stream has shown so far. */
  matched: number;
}

export class NeedleMatcher {
  readonly #needles: readonly Buffer[];
  readonly #shortest: number;
  readonly #stride: number;
  readonly #filter: BlockFilter;
  // Block -> [needle, offset, needle, offset, ...] for every sampled offset of every needle.
  readonly #blocks = new Map<number, number[]>();
  // First two bytes (little-endian) -> needles; first byte -> needles.
  readonly #pairs = new Map<number, number[]>();
  readonly #firsts: number[][] = Array.from({ length: 256 }, () => []);

  constructor(needles: readonly Buffer[]) {
    if (needles.some((needle) => needle.length < MIN_NEEDLE_LENGTH)) {
      throw new RangeError(`needles must be at least ${MIN_NEEDLE_LENGTH} bytes long`);
    }
    this.#needles = needles;
    this.#shortest = needles.reduce((min, needle) => Math.min(min, needle.length), Infinity);
    this.#stride = needles.length === 0 ? 1 : Math.min(this.#shortest - BLOCK + 1, MAX_STRIDE);

    needles.forEach((needle, index) => this.#index(needle, index));
    this.#filter = new BlockFilter(this.#blocks.keys(), this.#blocks.size);
  }

  get isEmpty(): boolean {
    return this.#needles.length === 0;
  }

  /** A search over one stream (one file, one field); needles never span two streams. */
  stream(): MatchStream {
    return new MatchStream(this);
  }

  /** Every occurrence in a complete buffer. */
  findAll(data: Buffer): Match[] {
    return this.stream().write(data);
  }

  /**
   * Searches `data`, which starts at stream offset `base`: whole occurrences go to `found`,
   * needles cut short by the end of `data` to `partials`. Used by MatchStream.
   */
  scanChunk(data: Buffer, base: number, found: Match[], partials: OpenMatch[]): void {
    if (this.isEmpty) return;
    const { words, shift } = this.#filter;
    const stride = this.#stride;
    const lastBlock = data.length - BLOCK;
    // Starts up to here have a sampled block inside the data; later ones are checked one by one.
    const lastSampled = data.length - this.#shortest;

    // One unaligned 32-bit read per sample: V8 compiles DataView reads to a single load, about
    // half the cost of combining four byte reads.
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);

    for (let at = stride - 1; at <= lastBlock; at += stride) {
      const key = view.getInt32(at, true);
      const bit = Math.imul(key, MULTIPLIER) >>> shift;
      if ((words[bit >>> 5] & (1 << (bit & 31))) === 0) continue;

      this.#verifyBlock(data, at, key, lastSampled, base, found, partials);
    }

    for (let start = Math.max(lastSampled + 1, 0); start < data.length; start++) {
      this.#verifyTail(data, start, base, partials);
    }
  }

  /** Carries needles cut short by the previous chunk over `data`; returns those still open. */
  extend(partials: OpenMatch[], data: Buffer, found: Match[]): OpenMatch[] {
    const open: OpenMatch[] = [];

    for (const partial of partials) {
      const needle = this.#needles[partial.needle];
      const end = Math.min(needle.length, partial.matched + data.length);
      if (!sameBytes(data, 0, needle, partial.matched, end - partial.matched)) continue;

      if (end === needle.length) found.push({ needle: partial.needle, offset: partial.start });
      else open.push({ ...partial, matched: end });
    }
    return open;
  }

  #verifyBlock(
    data: Buffer,
    at: number,
    key: number,
    lastSampled: number,
    base: number,
    found: Match[],
    partials: OpenMatch[],
  ): void {
    if (!this.#filter.confirms(key)) return;
    const entries = this.#blocks.get(key);
    if (entries === undefined) return;

    for (let index = 0; index < entries.length; index += 2) {
      const start = at - entries[index + 1];
      if (start > lastSampled) continue;

      const needle = this.#needles[entries[index]];
      const room = data.length - start;
      if (!sameBytes(needle, 0, data, start, Math.min(needle.length, room))) continue;

      if (needle.length <= room) found.push({ needle: entries[index], offset: base + start });
      else partials.push({ needle: entries[index], start: base + start, matched: room });
    }
  }

  // Too close to the end for a whole needle: any needle starting here is cut short.
  #verifyTail(data: Buffer, start: number, base: number, partials: OpenMatch[]): void {
    const room = data.length - start;
    const candidates =
      room === 1
        ? this.#firsts[data[start]]
        : this.#pairs.get(data[start] | (data[start + 1] << 8));
    if (candidates === undefined) return;

    for (const index of candidates) {
      if (!sameBytes(this.#needles[index], 0, data, start, room)) continue;
      partials.push({ needle: index, start: base + start, matched: room });
    }
  }

  #index(needle: Buffer, index: number): void {
    for (let offset = 0; offset < this.#stride; offset++) {
      const key = needle.readInt32LE(offset);
      const entries = this.#blocks.get(key);
      if (entries === undefined) this.#blocks.set(key, [index, offset]);
      else entries.push(index, offset);
    }

    const pair = needle[0] | (needle[1] << 8);
    const sharing = this.#pairs.get(pair);
    if (sharing === undefined) this.#pairs.set(pair, [index]);
    else sharing.push(index);
    this.#firsts[needle[0]].push(index);
  }
}

/** The search state of one stream: its offset and the needles the last chunk cut short. */
export class MatchStream {
  readonly #matcher: NeedleMatcher;
  #position = 0;
  #partials: OpenMatch[] = [];

  constructor(matcher: NeedleMatcher) {
    this.#matcher = matcher;
  }

  /** Searches the next chunk; returns the occurrences it completes. */
  write(chunk: Buffer): Match[] {
    const found: Match[] = [];

    if (this.#partials.length > 0) {
      this.#partials = this.#matcher.extend(this.#partials, chunk, found);
    }
    this.#matcher.scanChunk(chunk, this.#position, found, this.#partials);
    this.#position += chunk.length;
    return found;
  }
}

// Hits compare a few dozen bytes at most before they differ; a native compare costs more to call.
function sameBytes(a: Buffer, aStart: number, b: Buffer, bStart: number, length: number): boolean {
  for (let index = 0; index < length; index++) {
    if (a[aStart + index] !== b[bStart + index]) return false;
  }
  return true;
}
