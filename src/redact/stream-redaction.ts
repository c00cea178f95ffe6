// What a redacting stream remembers between chunks, so that a secret split across chunks is still
// masked while everything else is written at once.
//
// Only the tail that could still grow into a mask is held back: it starts at the earliest mask
// cut short by the end of the data. Those cut-short masks are remembered and later extended by the
// new bytes alone, and new chunks are scanned only from where the last scan stopped, so a long
// secret arriving in many small chunks is scanned once. (The held bytes are still copied once per
// chunk, at memcpy speed: a 512 KB secret in 1 KiB chunks takes about 0.1 s.)

import {
  addRange,
  isCutShort,
  type MaskIndex,
  type PartialMatch,
  type Ranges,
  uniteRanges,
  withCutByEnd,
} from './mask-index.js';
import { renderMasked } from './render.js';

export class StreamRedaction {
  readonly #index: () => MaskIndex;
  // Bytes received but not yet written.
  #pending: Buffer = Buffer.alloc(0);
  // Starts below this offset in #pending are decided: covered in #known, or tracked in #live.
  #settled = 0;
  // Masks cut short by the end of #pending, in order of start.
  #live: PartialMatch[] = [];
  // Covered ranges in #pending; with #open, the first continues one already partly written,
  // and with #hidden, inside a `***` (not just after a line break it kept).
  #known: Ranges = [];
  #open = false;
  #hidden = false;

  /** `index` is asked on every chunk, so masks added to the redactor apply from then on. */
  constructor(index: () => MaskIndex) {
    this.#index = index;
  }

  /** Takes the next chunk; returns the output that is now safe to write. */
  write(chunk: Buffer): Buffer {
    const data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const completed: Ranges = [];
    const live = extendLive(this.#live, data, this.#pending.length, completed);

    const scan = this.#index().scan(data, this.#settled);
    // One by one: a value with long runs of one byte can leave tens of thousands of masks cut
    // short, too many to spread into a call. (Such a value is slow to mask: every start in a
    // run is compared again with each chunk, about 25 s for 150 KB of one byte in 64 KiB chunks.)
    for (const partial of scan.partials) live.push(partial);
    const ranges = uniteRanges(this.#known, completed, scan.ranges);

    const cut = Math.min(scan.partialFrom, live.length > 0 ? live[0].start : data.length);
    return this.#emit(data, chunk, ranges, live, cut);
  }

  /**
   * Returns everything still held, masked: masks cut short can no longer complete, and one the
   * end of the output cut short (see withCutByEnd) is masked as it stands.
   */
  end(): Buffer {
    const data = this.#pending;
    const ranges = withCutByEnd(this.#known, this.#live, data.length);

    return this.#emit(data, data, ranges, [], data.length);
  }

  #emit(data: Buffer, chunk: Buffer, ranges: Ranges, live: PartialMatch[], cut: number): Buffer {
    const result = renderMasked(data, ranges, cut, this.#open, this.#hidden);

    // The held tail is copied out of a caller's chunk, which the caller may reuse.
    const tail = data.subarray(cut);
    this.#pending = data === chunk ? Buffer.from(tail) : tail;
    this.#known = unwritten(ranges, cut, this.#open, result.open ? result.carry : undefined);
    this.#live = live.map((partial) => ({ ...partial, start: partial.start - cut }));
    this.#settled = Math.max(data.length - 1 - cut, 0);
    this.#open = result.open;
    this.#hidden = result.hidden;
    return result.output;
  }
}

/**
 * Carries masks cut short by the previous end (`previousEnd`) on over the new bytes. Those that
 * now end inside `data` go to `completed` (as ranges: in order, joined); those that still run
 * past its end are returned.
 */
function extendLive(
  live: readonly PartialMatch[],
  data: Buffer,
  previousEnd: number,
  completed: Ranges,
): PartialMatch[] {
  const still: PartialMatch[] = [];

  for (const partial of live) {
    const { start, mask, tail } = partial;
    const end = Math.min(start + mask.length, data.length);
    if (data.compare(mask, previousEnd - start, end - start, previousEnd, end) !== 0) {
      // A value's last half counts whole only.
      const cutEnd = tail ? undefined : cutShortAt(data, mask, start, previousEnd, end);
      if (cutEnd !== undefined) addRange(completed, start, cutEnd);
      continue;
    }

    if (end === start + mask.length) addRange(completed, start, end);
    else still.push(partial);
  }
  return still;
}

/** Where a mask that stopped matching after `previousEnd` was cut short, if it was (isCutShort). */
function cutShortAt(
  data: Buffer,
  mask: Buffer,
  start: number,
  previousEnd: number,
  end: number,
): number | undefined {
  let at = previousEnd;
  while (at < end && data[at] === mask[at - start]) at++;

  return isCutShort(mask, at - start, data, at) ? at : undefined;
}

/**
 * The ranges left for later, shifted to start at `cut`. A range that reaches `cut` has had its
 * `***` written; it stays first, as the open range `[0, carry)`.
 */
function unwritten(ranges: Ranges, cut: number, wasOpen: boolean, carry?: number): Ranges {
  const rest: Ranges = carry === undefined ? [] : [0, carry];

  for (let index = 0; index < ranges.length; index += 2) {
    const written = ranges[index] < cut || (wasOpen && index === 0);
    if (!written) addRange(rest, ranges[index] - cut, ranges[index + 1] - cut);
  }
  return rest;
}
