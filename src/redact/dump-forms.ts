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

  const forms: string[] = [];
  for (let at = 0; at < value.length; at += GROUP) {
    // od -tx1 and hexdump -C: `73 75 70 65 ...` (xxd's own groups are in its rows, below).
    forms.push(
      value
        .subarray(at, at + GROUP)
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1 '),
    );
  }
  for (let at = 0; at < value.length; at += ROW) {
    const row = value.subarray(at, at + ROW);
    forms.push(`|${printable(row)}|`, xxdRow(row));
  }
  return forms;
}

/** An xxd line after its offset: groups of two bytes, padded to a full row, then the text. */
function xxdRow(row: Buffer): string {
  const groups = row.toString('hex').replace(/(....)(?!$)/g, '$1 ');
  return `${groups.padEnd(XXD_HEX_WIDTH)}  ${printable(row)}`;
}

/** hexdump -C's text column: printable ASCII as it is, every other byte as a dot. */
function printable(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
  return text;
}
