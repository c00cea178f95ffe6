// Byte classes shared by the mask builders. They look at single bytes, so they work the same on
// UTF-8 text and on binary values.

/** ASCII letters and digits: the bytes that carry a secret's content in text formats. */
export function isAsciiAlphanumeric(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a)
  );
}

/** Space, \t, \n, \v, \f and \r. */
export function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** Strips ASCII whitespace from both ends, without copying. */
export function trimAsciiSpace(bytes: Buffer): Buffer {
  let start = 0;
  let end = bytes.length;

  while (start < end && isAsciiSpace(bytes[start])) start++;
  while (end > start && isAsciiSpace(bytes[end - 1])) end--;
  return bytes.subarray(start, end);
}
