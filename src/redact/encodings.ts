// Re-encoded forms a secret takes when a build step prints it through base64, a URL, a JSON
// document or a hex dump. Each function returns candidate mask text; masks.ts decides which are
// long enough to use.

import { isUtf8 } from 'node:buffer';

import { isAsciiAlphanumeric, trimAsciiSpace } from './ascii.js';

export type Base64Alphabet = 'base64' | 'base64url';

/**
 * The byte strings a value gets encoded from, once each: the value as stored, its trimmed content
 * (what `$(cat file)` keeps), and both followed by a newline (what `echo "$v" | base64` encodes).
 * The redactor and the leak scanner both encode these, so a form one hides the other finds.
 */
export function encodingBases(value: Buffer): Buffer[] {
  const trimmed = trimAsciiSpace(value);
  const bases = [value, trimmed, withNewline(value), withNewline(trimmed)];
  return bases.filter((base, index) => bases.findIndex((other) => other.equals(base)) === index);
}

function withNewline(value: Buffer): Buffer {
  return Buffer.concat([value, Buffer.from('\n')]);
}

// Widths that common tools wrap base64 at: GNU `base64` (76) and `openssl base64` / PEM (64).
const BASE64_WRAP_WIDTHS = [64, 76] as const;

/**
 * The base64 text of `value` when it starts at byte offset 0, 1 or 2 of a larger encoded stream.
 * A base64 character encodes 6 bits, so the characters that also cover bytes before or after the
 * value change with the surrounding data; only the stable middle is returned.
 */
export function base64Alignments(value: Buffer, alphabet: Base64Alphabet): string[] {
  const forms: string[] = [];

  // One copy with two spare bytes in front; each alignment encodes a view of it.
  const padded = Buffer.alloc(value.length + 2);
  value.copy(padded, 2);
  for (let pad = 0; pad < 3; pad++) {
    const text = padded.subarray(2 - pad).toString(alphabet);
    const first = Math.ceil((pad * 8) / 6);
    const end = Math.floor(((pad + value.length) * 8) / 6);
    forms.push(text.slice(first, end));
  }
  return forms;
}

/**
 * The value encoded on its own, padding included: what `printf %s "$v" | base64` prints and what
 * docker writes as `auth`. Its last characters are missing from the aligned forms above.
 */
export function base64Standalone(value: Buffer): string[] {
  const standard = value.toString('base64');
  const url = value.toString('base64url');
  const padded = url.padEnd(Math.ceil(url.length / 4) * 4, '=');
  return [standard, url, padded];
}

/** Lines of the standalone encoding as wrapping tools print it, when it is longer than a line. */
export function base64WrappedLines(value: Buffer): string[] {
  const text = value.toString('base64');
  const lines: string[] = [];

  for (const width of BASE64_WRAP_WIDTHS) {
    if (text.length <= width) continue;
    for (let at = 0; at < text.length; at += width) lines.push(text.slice(at, at + width));
  }
  return lines;
}

// Characters each encoder leaves alone besides ASCII letters and digits: encodeURIComponent,
// RFC 3986 unreserved (Python `quote`, Go `QueryEscape`), and WHATWG form encoding
// (URLSearchParams).
const URL_KEPT = ["-_.!~*'()", '-_.~', '*-._'].map(keptBytes);
const URL_KEPT_BY_ALL = keptBytes('-_.');
const HEX_DIGITS = { upper: '0123456789ABCDEF', lower: '0123456789abcdef' };

/**
 * Percent-encoded forms, byte by byte. For valid UTF-8 the first form equals
 * `encodeURIComponent`; working on bytes also covers binary values. Each encoder's form comes with
 * upper- and lower-case hex escapes and with `%20` or `+` for spaces.
 */
export function urlEncodings(value: Buffer): string[] {
  // Letters, digits and `-_.` pass every encoder unchanged: all forms are the value itself.
  if (keptByAll(value)) return [value.toString('latin1')];

  const forms: string[] = [];

  for (const kept of URL_KEPT) {
    for (const digits of [HEX_DIGITS.upper, HEX_DIGITS.lower]) {
      const encoded = percentEncode(value, kept, digits);
      forms.push(encoded, encoded.replaceAll('%20', '+'));
    }
  }
  return forms;
}

// A plain loop: this runs for every secret of every build, mostly before V8 has optimised it.
function keptByAll(value: Buffer): boolean {
  for (let at = 0; at < value.length; at++) if (URL_KEPT_BY_ALL[value[at]] !== 1) return false;
  return true;
}

// Writes bytes rather than concatenating strings: values can be 500 KB.
function percentEncode(value: Buffer, kept: Uint8Array, digits: string): string {
  const out = Buffer.alloc(value.length * 3);
  let length = 0;

  for (const byte of value) {
    if (kept[byte] === 1) {
      out[length++] = byte;
      continue;
    }
    out[length++] = 0x25; // %
    out[length++] = digits.charCodeAt(byte >> 4);
    out[length++] = digits.charCodeAt(byte & 0x0f);
  }
  return out.toString('latin1', 0, length);
}

function keptBytes(punctuation: string): Uint8Array {
  const kept = new Uint8Array(256);

  for (let byte = 0; byte < 128; byte++) {
    const char = String.fromCharCode(byte);
    if (isAsciiAlphanumeric(byte) || punctuation.includes(char)) kept[byte] = 1;
  }
  return kept;
}

/**
 * The value inside a JSON string, as different serialisers write it: `JSON.stringify`, non-ASCII
 * as `\u` escapes of four hex digits (Python's default), `<>&` escaped (Go), and `/` escaped as
 * `\/` (PHP). Only for valid UTF-8: other bytes have no JSON string form.
 */
export function jsonEscapes(value: Buffer): string[] {
  if (!isUtf8(value)) return [];

  const plain = JSON.stringify(value.toString('utf8')).slice(1, -1);
  const ascii = plain.replace(/[\u0080-\uffff]/g, unicodeEscape);
  const htmlSafe = plain.replace(/[<>&\u2028\u2029]/g, unicodeEscape);
  return [plain, ascii, htmlSafe, plain.replaceAll('/', '\\/'), ascii.replaceAll('/', '\\/')];
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// `xxd -p` prints 30 bytes (60 hex digits) a line.
const XXD_LINE = 60;

/** Hex in both cases, and the lines `xxd -p` wraps long values into. */
export function hexEncodings(value: Buffer): string[] {
  const hex = value.toString('hex');
  const forms = [hex, hex.toUpperCase()];

  if (hex.length > XXD_LINE) {
    for (let at = 0; at < hex.length; at += XXD_LINE) forms.push(hex.slice(at, at + XXD_LINE));
  }
  return forms;
}

/**
 * The value as UTF-16, little- and big-endian, as Windows and .NET tools (and `iconv -t utf-16le`)
 * write text: a NUL beside every ASCII character, which a terminal does not show, so the value
 * reads as plain text. Only for valid UTF-8 values, which are text to begin with.
 */
export function utf16Forms(value: Buffer): Buffer[] {
  if (!isUtf8(value)) return [];

  const little = Buffer.from(value.toString('utf8'), 'utf16le');
  const big = Buffer.from(little).swap16();
  return [little, big];
}
