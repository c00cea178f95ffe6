// Finds every occurrence of any mask in a byte buffer, in one pass that skips most of the bytes.
//
// Every mask is at least `shortest` bytes long, so any occurrence covers `stride` consecutive
// 3-byte blocks that belong to the first `shortest` bytes of that mask. The scan therefore reads
// only one block every `stride` bytes (every 4th byte with 6-byte masks) and looks it up in a
// hashed bitset of all such mask blocks. Only when a block hits are the `stride` starts it could
// belong to checked: first against a hashed bitset of the masks' first 4 bytes, then against the
// masks sharing their first two bytes, longest first. Log text rarely hits, so the cost per byte
// is a fraction of one table read; hex text, which often hits the blocks of hex masks, is still
// cleared by the 4-byte check.
//
// Buffer.indexOf once per mask would be memchr-fast per call, but thousands of masks per chunk
// make it far slower, and it cannot report a mask cut short at the end of a stream chunk.
//
// A copy cut short is masked too: at least half a mask's beginning (PIECE_MIN bytes or more),
// wherever it is (`head -c`, `cut -c`), or a shorter beginning that ends a line closely followed
// by BuildKit's notice that it clipped the log (it cuts a step's log at its size limit wherever
// that falls). Such copies are found by their first bytes: blocks are sampled as if no mask were
// longer than CUT_REACH or than half the shortest, which finds every copy of half a mask or more,
// and a line end whose last block belongs to the first bytes of some mask has the starts just
// before it checked. A copy of a value's end that holds half of it contains the value's last half
// whole: those halves are masks of their own (tails), matched whole only. What precedes the last
// half in such a copy stays, as a shorter beginning does: at most half a value shows.

/** Merged covered ranges as `[start, end, start, end, ...]`: sorted, touching ranges joined. */
export type Ranges = number[];

export interface ScanResult {
  readonly ranges: Ranges;
  /**
   * Start of the longest tail of the data that is a proper prefix of some mask, i.e. the bytes a
   * stream must hold back because the next chunk could complete a mask. `data.length` if none.
   */
  readonly partialFrom: number;
  /** Each mask cut short by the end of the data, by start; the last byte is not included. */
  readonly partials: PartialMatch[];
}

export interface PartialMatch {
  readonly start: number;
  readonly mask: Buffer;
  /** A value's last half (see MaskSet.tails), which counts whole only. */
  readonly tail?: boolean;
}

interface Found {
  ranges: Ranges;
  partialFrom: number;
  partials: PartialMatch[];
  /** Cut copies found from line ends, as ranges; merged into `ranges` at the end. */
  cuts: Ranges;
}

const BLOCK = 3;
const HEAD = 4;

/** The shortest beginning of a mask that, cut short at a line end, is masked like a whole one. */
export const CUT_MIN = 8;
/**
 * The shortest piece of a mask (half of it, or its end) masked wherever it appears: long enough
 * not to turn up by chance, as the first 8 bytes of `password1234...` would.
 */
export const PIECE_MIN = 12;
/** How far back from a line end a cut copy is looked for, and so how long it is at least found. */
const CUT_REACH = 64;
const LF = 0x0a;
const CR = 0x0d;

export class MaskIndex {
  // Bucket number + 1 for every byte pair that starts a mask; 0 where none does.
  readonly #pairs = new Int32Array(1 << 16);
  readonly #buckets: Buffer[][] = [];
  // Per byte: a one-byte mask / a longer mask starts with it. Only the last position of the
  // data, which has no second byte, needs these.
  readonly #singles = new Uint8Array(256);
  readonly #starters = new Uint8Array(256);
  readonly #blocks: HashedBits;
  // First 4 bytes of every mask; unused when some mask is shorter than that.
  readonly #heads: HashedBits | undefined;
  readonly #shortest: number;
  // Blocks come from the first `reach` bytes of each mask: min(shortest, CUT_REACH).
  readonly #reach: number;
  readonly #stride: number;
  // Values' last halves, by the Buffer the index holds: matched whole only, never cut short.
  readonly #tails: ReadonlySet<Buffer>;

  constructor(masks: readonly Buffer[], tails: readonly Buffer[] = []) {
    this.#tails = new Set(tails);
    const all = tails.length === 0 ? masks : [...masks, ...tails];
    const sorted = all.filter((mask) => mask.length > 0).sort((a, b) => b.length - a.length);
    this.#shortest = sorted.length === 0 ? 0 : sorted[sorted.length - 1].length;
    this.#reach = Math.min(
      this.#shortest,
      CUT_REACH,
      Math.max(CUT_MIN, Math.ceil(this.#shortest / 2)),
    );
    this.#stride = this.#reach - BLOCK + 1;

    this.#blocks = new HashedBits(sorted.length * Math.max(this.#stride, 0));
    this.#heads = this.#shortest >= HEAD ? new HashedBits(sorted.length) : undefined;

    for (const mask of sorted) {
      if (mask.length === 1) this.#addSingle(mask);
      else this.#addToBucket((mask[0] << 8) | mask[1], mask);
      if (mask.length > 1) this.#starters[mask[0]] = 1;
      if (this.#stride > 0) this.#addBlocks(mask);
      this.#heads?.add(readHead(mask, 0));
    }
  }

  get isEmpty(): boolean {
    return this.#buckets.length === 0;
  }

  /** Scans the starts from `from` on; a stream passes where its previous scan left off. */
  scan(data: Buffer, from = 0): ScanResult {
    const found: Found = { ranges: [], partialFrom: data.length, partials: [], cuts: [] };
    if (from >= data.length || this.isEmpty) return found;

    // With masks shorter than a block, every position is a candidate.
    const tail = this.#stride > 0 ? this.#scanBlocks(data, from, found) : from;
    this.#verifyStarts(data, tail, data.length, found);
    if (this.#stride > 0) this.#findCutsAtLineEnds(data, from, found);
    if (found.cuts.length > 0) found.ranges = uniteRanges(found.ranges, found.cuts);
    return found;
  }

  /** Verifies the starts each hitting block could belong to; returns where the tail begins. */
  #scanBlocks(data: Buffer, from: number, found: Found): number {
    const blocks = this.#blocks;
    const stride = this.#stride;
    let checked = from;

    for (let at = from + stride - 1; at + BLOCK <= data.length; at += stride) {
      if (!blocks.has((data[at] << 16) | (data[at + 1] << 8) | data[at + 2])) continue;

      this.#verifyStarts(data, at - stride + 1, at + 1, found);
      checked = at + 1;
    }

    // Starts after this leave too little room for `reach` bytes of a mask, so no block saw them;
    // they can still begin a partial mask, which the caller checks one by one.
    return Math.max(checked, data.length - this.#reach + 1);
  }

  /**
   * Cut copies shorter than `reach` that end a line, which the sampled blocks can miss. The last
   * block before the line end then belongs to a mask's first `reach` bytes: one lookup rules out
   * almost every line. Starts before `from` were decided by an earlier scan.
   */
  #findCutsAtLineEnds(data: Buffer, from: number, found: Found): void {
    const heads = this.#heads;

    for (let newline = data.indexOf(LF, from); newline !== -1;) {
      const end = newline > 0 && data[newline - 1] === CR ? newline - 1 : newline;
      newline = data.indexOf(LF, newline + 1);

      const first = Math.max(from, end - this.#reach + 1);
      if (end - CUT_MIN < first) continue;
      if (!this.#blocks.has((data[end - 3] << 16) | (data[end - 2] << 8) | data[end - 1])) continue;

      // The earliest start gives the longest cut.
      for (let start = first; start <= end - CUT_MIN; start++) {
        if (heads !== undefined && !heads.has(readHead(data, start))) continue;
        if (!this.#isCutAt(data, start, end)) continue;
        found.cuts.push(start, end);
        break;
      }
    }
  }

  /** data[start, end) is a mask's beginning, and the mask goes on past a line end there. */
  #isCutAt(data: Buffer, start: number, end: number): boolean {
    const bucket = this.#pairs[(data[start] << 8) | data[start + 1]];
    if (bucket === 0) return false;

    const length = end - start;
    for (const mask of this.#buckets[bucket - 1]) {
      if (this.#tails.has(mask)) continue;
      if (mask.length <= length || !isCutShort(mask, length, data, end)) continue;
      if (data.compare(mask, 0, length, start, end) === 0) return true;
    }
    return false;
  }

  #verifyStarts(data: Buffer, from: number, to: number, found: Found): void {
    const heads = this.#heads;
    const lastHead = data.length - HEAD;

    for (let start = from; start < to; start++) {
      // A start with 4 bytes of room can only begin a mask, whole or cut short, that shares them.
      if (heads !== undefined && start <= lastHead && !heads.has(readHead(data, start))) continue;

      if (start + 1 < data.length) this.#verifyAt(data, start, found);
      else this.#verifyLastByte(data, start, found);
    }
  }

  // Masks in a bucket are longest first, so the first whole match is the longest one, and any
  // mask cut short by the end of the data comes before it.
  #verifyAt(data: Buffer, start: number, found: Found): void {
    const bucket = this.#pairs[(data[start] << 8) | data[start + 1]];
    if (bucket === 0) return;

    const room = data.length - start;
    // The longest copy of a mask's beginning cut short at a line end, if any.
    let cut = 0;
    for (const mask of this.#buckets[bucket - 1]) {
      const tail = this.#tails.has(mask);
      const length = Math.min(mask.length, room);
      const at = matchedLength(data, start, mask, length);
      if (at < length) {
        // A tail counts whole only: a piece of it is a piece of the value's middle.
        if (at > cut && !tail && isCutShort(mask, at, data, start + at)) cut = at;
        continue;
      }

      if (mask.length > room) {
        if (found.partialFrom === data.length) found.partialFrom = start;
        found.partials.push(tail ? { start, mask, tail } : { start, mask });
        continue;
      }
      addRange(found.ranges, start, start + Math.max(mask.length, cut));
      return;
    }
    if (cut > 0) addRange(found.ranges, start, start + cut);
  }

  #verifyLastByte(data: Buffer, start: number, found: Found): void {
    const byte = data[start];

    if (this.#starters[byte] === 1 && found.partialFrom === data.length) found.partialFrom = start;
    if (this.#singles[byte] === 1) addRange(found.ranges, start, start + 1);
  }

  #addToBucket(pair: number, mask: Buffer): void {
    if (this.#pairs[pair] === 0) {
      this.#buckets.push([]);
      this.#pairs[pair] = this.#buckets.length;
    }
    this.#buckets[this.#pairs[pair] - 1].push(mask);
  }

  // A one-byte mask matches at any position holding that byte, whatever follows, so it joins the
  // bucket of every pair that starts with it. Being the shortest, it stays last in each bucket.
  #addSingle(mask: Buffer): void {
    this.#singles[mask[0]] = 1;
    for (let second = 0; second < 256; second++) this.#addToBucket((mask[0] << 8) | second, mask);
  }

  // The blocks an occurrence must show at a sampled position: those starting at offsets
  // 0 .. stride - 1 of the mask.
  #addBlocks(mask: Buffer): void {
    for (let offset = 0; offset < this.#stride; offset++) {
      this.#blocks.add((mask[offset] << 16) | (mask[offset + 1] << 8) | mask[offset + 2]);
    }
  }
}

function isLineEnd(byte: number | undefined): boolean {
  return byte === LF || byte === CR;
}

// How the encoded forms (masks.ts) write a line break: JSON and URL escapes.
const ESCAPED_LINE_BREAKS = ['\\n', '\\r', '\\u000a', '\\u000d', '%0a', '%0d'].map((text) =>
  Buffer.from(text),
);

/**
 * Whether `mask` has a line break (itself, or escaped) at `at`. A copy that ends a line there is
 * the value's own first lines, printed as lines (a PEM's armour), not a copy cut short.
 */
export function breaksLineAt(mask: Buffer, at: number): boolean {
  if (isLineEnd(mask[at])) return true;
  if (mask[at] !== 0x5c && mask[at] !== 0x25) return false;

  return ESCAPED_LINE_BREAKS.some((escape) => {
    if (at + escape.length > mask.length) return false;
    for (let i = 0; i < escape.length; i++) {
      // Lower-cased: %0A and \u000A are the same break.
      if ((mask[at + i] | 0x20) !== (escape[i] | 0x20)) return false;
    }
    return true;
  });
}

/**
 * Whether a copy of `mask`'s first `at` bytes, followed in `data` by the byte at `end`, counts as
 * the mask cut short. A value often starts with public structure (an .npmrc's `//host/:`,
 * `https://`), so a short beginning alone does not count: the copy must hold half the mask
 * (wherever it is: `head -c`, a `hexdump -C` row), or end a line closely followed by BuildKit's
 * notice that it cut the log there.
 */
export function isCutShort(mask: Buffer, at: number, data: Buffer, end: number): boolean {
  // A copy that ends with a whole line of the mask is its lines printed as lines: each line is a
  // mask of its own, and the line break after it is not secret.
  if (at < CUT_MIN || breaksLineAt(mask, at) || isLineEnd(mask[at - 1])) return false;
  if (at * 2 >= mask.length && at >= PIECE_MIN) return true;
  return isLineEnd(data[end]) && clipNoticeFollows(data, end);
}

/**
 * `ranges` of data that ends at `length` for good (a complete text, or a stream at its end), with
 * the longest of `partials` that holds half its mask (and `minimum` bytes): the end cut that copy
 * short.
 */
export function withCutByEnd(
  ranges: Ranges,
  partials: readonly PartialMatch[],
  length: number,
  minimum = CUT_MIN,
): Ranges {
  const cut = partials.find(({ start, mask }) => {
    const kept = length - start;
    return kept >= minimum && kept * 2 >= mask.length;
  });
  return cut ? uniteRanges(ranges, [cut.start, length]) : ranges;
}

// BuildKit's words when a step's log reaches its size limit, on the line after the cut (other
// steps' lines may come between).
const CLIP_NOTICE = Buffer.from('[output clipped, log limit');
const CLIP_NOTICE_WINDOW = 512;

function clipNoticeFollows(data: Buffer, end: number): boolean {
  const window = data.subarray(end, end + CLIP_NOTICE_WINDOW);
  return window.includes(CLIP_NOTICE);
}

// Past this many bytes, a long match is confirmed by memcmp rather than byte by byte: a value with
// long runs (a zero-filled region) is otherwise compared at JavaScript speed from every start.
const NATIVE_COMPARE_FROM = 64;

/** How many of `mask`'s first `length` bytes match `data` at `start`; the first two already do. */
function matchedLength(data: Buffer, start: number, mask: Buffer, length: number): number {
  if (length >= NATIVE_COMPARE_FROM && data.compare(mask, 0, length, start, start + length) === 0) {
    return length;
  }
  let at = 2;
  while (at < length && data[start + at] === mask[at]) at++;
  return at;
}

function readHead(bytes: Buffer, at: number): number {
  return (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
}

/**
 * A set of 32-bit keys as a hashed bitset: `has` may say yes wrongly, never no wrongly. About 64
 * bits per key keep under 2% of it marked: 64 KiB for 100 secrets, at most 1 MiB.
 */
class HashedBits {
  readonly #words: Int32Array;
  readonly #shift: number;

  constructor(keys: number) {
    const bits = Math.min(Math.max(Math.ceil(Math.log2(Math.max(keys, 1) * 64)), 16), 23);
    this.#words = new Int32Array((1 << bits) / 32);
    this.#shift = 32 - bits;
  }

  add(key: number): void {
    const bit = Math.imul(key, 0x9e3779b1) >>> this.#shift;
    this.#words[bit >>> 5] |= 1 << (bit & 31);
  }

  has(key: number): boolean {
    const bit = Math.imul(key, 0x9e3779b1) >>> this.#shift;
    return (this.#words[bit >>> 5] & (1 << (bit & 31))) !== 0;
  }
}

/** Adds `[start, end)` to ranges kept in `start` order, joining overlapping or adjacent ones. */
export function addRange(ranges: Ranges, start: number, end: number): void {
  const last = ranges.length - 1;

  if (last > 0 && start <= ranges[last]) ranges[last] = Math.max(ranges[last], end);
  else ranges.push(start, end);
}

/** Union of range lists; each is sorted, but they interleave. */
export function uniteRanges(...lists: Ranges[]): Ranges {
  const nonEmpty = lists.filter((ranges) => ranges.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];

  const pairs: [number, number][] = [];
  for (const ranges of nonEmpty) {
    for (let index = 0; index < ranges.length; index += 2) {
      pairs.push([ranges[index], ranges[index + 1]]);
    }
  }

  const united: Ranges = [];
  for (const [start, end] of pairs.sort((a, b) => a[0] - b[0])) addRange(united, start, end);
  return united;
}
