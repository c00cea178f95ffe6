// Splitting multi-line values into the lines a build prints one at a time. Docker's progress
// output prefixes every line (`#7 0.512 `), so a multi-line value never appears whole: each of its
// lines has to be a mask of its own.

import { isAsciiAlphanumeric, trimAsciiSpace } from './ascii.js';

const NEWLINE = 0x0a;

// `-----BEGIN RSA PRIVATE KEY-----`, `-----END CERTIFICATE-----`: public framing, the same in
// every key.
const PEM_ARMOUR = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/;

/** Lines of `value` worth masking: trimmed, at least `minLength` bytes, not pure structure. */
export function maskableLines(value: Buffer, minLength: number): Buffer[] {
  const lines: Buffer[] = [];

  for (let start = 0; start <= value.length;) {
    const newline = value.indexOf(NEWLINE, start);
    const end = newline === -1 ? value.length : newline;
    const line = trimAsciiSpace(value.subarray(start, end));
    if (line.length >= minLength && !isStructural(line)) lines.push(line);
    start = end + 1;
  }
  return lines;
}

/**
 * Lines made only of punctuation, brackets and spaces (`{`, `},`, `]`), and PEM armour, are the
 * same in every secret of their kind. Masking them would hide ordinary output and say nothing.
 */
export function isStructural(line: Buffer): boolean {
  if (PEM_ARMOUR.test(line.toString('latin1'))) return true;

  return line.every((byte) => byte < 0x80 && !isAsciiAlphanumeric(byte));
}
