// What dump tools print of a secret file, which is how a step checks one that looks wrong:
// `hexdump -C` and `od -tx1` spell its bytes as spaced hex, eight to a group; `xxd` prints rows
// of 16 bytes as groups of two; and `hexdump -C` (between bars) and `xxd` (after the hex) show each
// row as text. The file holds only the secret, so rows and groups start at the value's own first
// byte, and each of those pieces becomes a mask. Spaced hex, a bar-delimited row and a whole xxd
// row do not occur in logs by chance, unlike a bare 16-byte slice of a value, which may be public
// text (an .npmrc's `//localhost:4873`).

/** Longer values get no dump forms: a dump of them would be 1,000 rows or more. */
export const DUMP_MAX_BYTES = 16 * 1024;

const GROUP = 8;
const ROW = 16;
// Eight groups of four hex digits and the seven spaces between them.
const XXD_HEX_WIDTH = 39;

export function dumpForms(value: Buffer): string[] {
  if (value.length > DUMP_MAX_BYTES) return [];

  // Each spelling is made once for the whole value and cut into its pieces: this runs for every
  // secret of every build, mostly before V8 has optimised anything.
  const hex = value.toString('hex');
  const spaced = hex.replace(/(..)/g, '$1 ');
  const paired = hex.replace(/(....)/g, '$1 ');
  const text = value.toString('latin1').replace(/[^\x20-\x7e]/g, '.');

  const forms: string[] = [];
  // od -tx1 and hexdump -C: `73 75 70 65 ...` (xxd's own groups are in its rows, below).
  for (let at = 0; at < value.length; at += GROUP) {
    forms.push(spaced.slice(at * 3, Math.min(at + GROUP, value.length) * 3 - 1));
  }
  for (let at = 0; at < value.length; at += ROW) {
    const end = Math.min(at + ROW, value.length);
    const row = text.slice(at, end);
    // hexdump -C's text column, and an xxd line after its offset: its groups, padded, the text.
    const groups = paired.slice((at / 2) * 5, Math.ceil(end / 2) * 5).trimEnd();
    forms.push(`|${row}|`, `${groups.padEnd(XXD_HEX_WIDTH)}  ${row}`);
  }
  return forms;
}
