// Writes data with every covered range hidden behind `***`. Line breaks (`\n`, `\r`) inside a
// range are written as they are, and each run of other bytes between them becomes one `***`: a
// value printed with its final newline, or a multi-line value printed whole, keeps the log's line
// structure (`***\n`, `***\n***\n`), so the next line, and BuildKit's prefix on it, still start a
// line of their own. A break shows nothing of a value's content, only that its lines end there.
//
// A stream renders its data in pieces, so a covered range can start in one piece and end in a
// later one; `open` and `hidden` carry that state across so the range yields exactly the `***`s
// a one-shot render would.

import type { Ranges } from './mask-index.js';

export const MASK_TEXT = '***';
const MASK_BYTES = Buffer.from(MASK_TEXT);

const LF = 0x0a;
const CR = 0x0d;

export interface RenderResult {
  readonly output: Buffer;
  /** The last covered range reaches `cut` or beyond. */
  readonly open: boolean;
  /** How many bytes from `cut` onwards that range still covers. */
  readonly carry: number;
  /**
   * That range's last byte before `cut` is hidden by a `***` already written, which the bytes
   * continuing it in the next piece share; false when that byte is a line break.
   */
  readonly hidden: boolean;
}

/**
 * Renders `data[0, cut)`. With `open`, the first range starts at 0 and continues one an earlier
 * piece began; with `hidden` too, that piece ended inside a `***` (not after a line break), which
 * the first hidden bytes here extend. Ranges starting at or after `cut` are left for the next
 * piece.
 */
export function renderMasked(
  data: Buffer,
  ranges: Ranges,
  cut: number,
  open = false,
  hidden = open,
): RenderResult {
  const parts: Buffer[] = [];
  let written = 0;

  for (let index = 0; index < ranges.length; index += 2) {
    const start = ranges[index];
    const end = ranges[index + 1];
    const continues = open && index === 0;
    if (start >= cut && !continues) break;

    if (start > written) parts.push(data.subarray(written, start));
    const inMask = hideRange(data, start, Math.min(end, cut), continues && hidden, parts);
    if (end >= cut) return { output: join(parts), open: true, carry: end - cut, hidden: inMask };
    written = end;
  }

  if (written < cut) parts.push(data.subarray(written, cut));
  return { output: join(parts), open: false, carry: 0, hidden: false };
}

/**
 * Writes `data[start, end)` as its line breaks and one `***` per run of other bytes; `inMask`
 * says a `***` already written covers the bytes just before `start`. Returns whether one covers
 * the byte before `end`.
 */
function hideRange(
  data: Buffer,
  start: number,
  end: number,
  inMask: boolean,
  parts: Buffer[],
): boolean {
  let at = start;

  while (at < end) {
    const from = at;
    if (isLineBreak(data[at])) {
      while (at < end && isLineBreak(data[at])) at++;
      parts.push(data.subarray(from, at));
      inMask = false;
      continue;
    }

    while (at < end && !isLineBreak(data[at])) at++;
    if (!inMask) parts.push(MASK_BYTES);
    inMask = true;
  }
  return inMask;
}

function isLineBreak(byte: number): boolean {
  return byte === LF || byte === CR;
}

// Output without masks is a view of the input: copying every clean chunk would halve stream speed.
function join(parts: Buffer[]): Buffer {
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}
