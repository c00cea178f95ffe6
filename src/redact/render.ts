// Writes data with every covered range replaced by one `***`. A stream renders its data in
// pieces, so a covered range can start in one piece and end in a later one; `open` carries that
// state across so the range still yields a single `***`, exactly as a one-shot render would.

import type { Ranges } from './mask-index.js';

export const MASK_TEXT = '***';
const MASK_BYTES = Buffer.from(MASK_TEXT);

export interface RenderResult {
  readonly output: Buffer;
  /** The last covered range reaches `cut` or beyond, and its `***` has been written. */
  readonly open: boolean;
  /** How many bytes from `cut` onwards that range still covers. */
  readonly carry: number;
}

/**
 * Renders `data[0, cut)`. With `open`, the first range starts at 0 and continues one whose `***`
 * an earlier piece already wrote. Ranges starting at or after `cut` are left for the next piece.
 */
export function renderMasked(
  data: Buffer,
  ranges: Ranges,
  cut: number,
  open = false,
): RenderResult {
  const parts: Buffer[] = [];
  let written = 0;

  for (let index = 0; index < ranges.length; index += 2) {
    const start = ranges[index];
    const end = ranges[index + 1];
    const continues = open && index === 0;
    if (start >= cut && !continues) break;

    if (start > written) parts.push(data.subarray(written, start));
    if (!continues) parts.push(MASK_BYTES);
    if (end >= cut) return { output: join(parts), open: true, carry: end - cut };
    written = end;
  }

  if (written < cut) parts.push(data.subarray(written, cut));
  return { output: join(parts), open: false, carry: 0 };
}

// Output without masks is a view of the input: copying every clean chunk would halve stream speed.
function join(parts: Buffer[]): Buffer {
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}
