// Finds every occurrence of any mask in a byte buffer, in one pass.
//
// Log text is scanned one position at a time, and almost every position is ruled out by a single
// lookup: a 64 Ki-entry table keyed by the two bytes at that position says whether any mask starts
// with them. Only positions that pass are compared against the masks sharing that byte pair, longest
// first. With a few thousand masks about 2-5% of pairs are marked, so the cost per byte stays close
// to one typed-array read. (Calling Buffer.indexOf once per mask would be memchr-fast per call, but
// does not scale to thousands of masks per chunk.)

/** Merged covered ranges as `[start, end, start, end, ...]`: sorted, touching ranges joined. */
export type Ranges = number[];

export interface ScanResult {
  readonly ranges: Ranges;
  /**
   * Start of the longest tail of the data that is a proper prefix of some mask, i.e. the bytes a
   * stream must hold back because the next chunk could complete a mask. `data.length` if none.
   */
  readonly partialFrom: number;
}

export class MaskIndex {
  // Bucket number + 1 for every byte pair that starts a mask; 0 where none does.
  readonly #pairs = new Int32Array(1 << 16);
  readonly #buckets: Buffer[][] = [];
  readonly #bucketMaxLength: number[] = [];
  // Per first byte: a one-byte mask exists / a longer mask starts with it. Only the last position
  // of the data, which has no second byte, needs these.
  readonly #singles = new Uint8Array(256);
  readonly #starters = new Uint8Array(256);

  /** `masks` must be sorted longest first, as `buildMasks` returns them. */
  constructor(masks: readonly Buffer[]) {
    for (const mask of masks) {
      if (mask.length === 1) this.#addSingle(mask);
      else if (mask.length > 1) this.#addToBucket((mask[0] << 8) | mask[1], mask);
      if (mask.length > 1) this.#starters[mask[0]] = 1;
    }
  }

  get isEmpty(): boolean {
    return this.#buckets.length === 0;
  }

  scan(data: Buffer): ScanResult {
    const ranges: Ranges = [];
    const end = data.length;
    let partialFrom = end;
    if (end === 0 || this.isEmpty) return { ranges, partialFrom };

    let pair = data[0];
    for (let next = 1; next < end; next++) {
      pair = ((pair << 8) | data[next]) & 0xffff;
      const bucket = this.#pairs[pair];
      if (bucket === 0) continue;

      const start = next - 1;
      const length = this.#longestMatch(data, start, bucket - 1);
      if (length > 0) addRange(ranges, start, start + length);
      if (partialFrom === end && this.#isPartial(data, start, bucket - 1)) partialFrom = start;
    }

    return this.#scanLastByte(data, ranges, partialFrom);
  }

  #longestMatch(data: Buffer, start: number, bucket: number): number {
    const room = data.length - start;

    // The pair lookup already matched bytes 0 and 1.
    for (const mask of this.#buckets[bucket]) {
      if (mask.length > room) continue;
      let at = 2;
      while (at < mask.length && data[start + at] === mask[at]) at++;
      if (at === mask.length) return mask.length;
    }
    return 0;
  }

  #isPartial(data: Buffer, start: number, bucket: number): boolean {
    const room = data.length - start;
    if (room >= this.#bucketMaxLength[bucket]) return false;

    return this.#buckets[bucket].some(
      (mask) => mask.length > room && data.compare(mask, 0, room, start) === 0,
    );
  }

  #scanLastByte(data: Buffer, ranges: Ranges, partialFrom: number): ScanResult {
    const last = data.length - 1;
    const byte = data[last];

    if (this.#singles[byte] === 1) addRange(ranges, last, last + 1);
    if (partialFrom === data.length && this.#starters[byte] === 1) partialFrom = last;
    return { ranges, partialFrom };
  }

  #addToBucket(pair: number, mask: Buffer): void {
    if (this.#pairs[pair] === 0) {
      this.#buckets.push([]);
      this.#bucketMaxLength.push(0);
      this.#pairs[pair] = this.#buckets.length;
    }

    const bucket = this.#pairs[pair] - 1;
    this.#buckets[bucket].push(mask);
    this.#bucketMaxLength[bucket] = Math.max(this.#bucketMaxLength[bucket], mask.length);
  }

  // A one-byte mask matches at any position holding that byte, whatever follows, so it joins the
  // bucket of every pair that starts with it. Being the shortest, it stays last in each bucket.
  #addSingle(mask: Buffer): void {
    this.#singles[mask[0]] = 1;
    for (let second = 0; second < 256; second++) this.#addToBucket((mask[0] << 8) | second, mask);
  }
}

/** Adds `[start, end)` to ranges built in order of `start`, joining overlapping or touching ones. */
export function addRange(ranges: Ranges, start: number, end: number): void {
  const last = ranges.length - 1;

  if (last > 0 && start <= ranges[last]) ranges[last] = Math.max(ranges[last], end);
  else ranges.push(start, end);
}
