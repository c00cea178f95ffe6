// Re-encoded forms a secret takes when a build step prints it through base64, a URL, a JSON
// document or a hex dump. Each function returns candidate mask text; masks.ts decides which are
// long enough to use.

import { isUtf8 } from 'node:buffer';

import { isAsciiAlphanumeric } from './ascii.js';

export type Base64Alphabet = 'base64' | 'base64url';

// Widths that common tools wrap base64 at: GNU `base64` (76) and `openssl base64` / PEM (64).
const BASE64_WRAP_WIDTHS = [64, 76] as const;

/**
 * The base64 text of `value` when it starts at byte offset 0, 1 or 2 of a larger encoded stream.
 * A base64 character encodes 6 bits, so the characters that also cover bytes before or after the
 * value change with the surrounding data; only the stable middle is returned.
 */
export function base64Alignments(value: Buffer, alphabet: Base64Alphabet): string[] {
  const forms: string[] = [];

  for (let pad = 0; pad < 3; pad++) {
    const text = Buffer.concat([Buffer.alloc(pad), value]).toString(alphabet);
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
const URL_SAFE_SETS = ["-_.!~*'()", '-_.~', '*-._'] as const;

/**
 * Percent-encoded forms, byte by byte. For valid UTF-8 the first form equals
 * `encodeURIComponent`; working on bytes also covers binary values. Each safe set comes with
 * upper- and lower-case hex escapes and with `%20` or `+` for spaces.
 */
export function urlEncodings(value: Buffer): string[] {
  const forms: string[] = [];

  for (const safe of URL_SAFE_SETS) {
    for (const lowerHex of [false, true]) {
      const encoded = percentEncode(value, safe, lowerHex);
      forms.push(encoded, encoded.replaceAll('%20', '+'));
    }
  }
  return forms;
}

function percentEncode(value: Buffer, safe: string, lowerHex: boolean): string {
  let out = '';

  for (const byte of value) {
    const char = String.fromCharCode(byte);
    if (isAsciiAlphanumeric(byte) || safe.includes(char)) {
      out += char;
      continue;
    }
    const hex = byte.toString(16).padStart(2, '0');
    out += `%${lowerHex ? hex : hex.toUpperCase()}`;
  }
  return out;
}

/**
 * The value inside a JSON string, as different serialisers write it: `JSON.stringify`, non-ASCII
 * as `\uXXXX` (Python's default), `<>&` escaped (Go), and `/` escaped as `\/` (PHP). Only for
 * valid UTF-8: other bytes have no JSON string form.
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

/** Hex in both cases, as `xxd -p`, `od` pipelines and debug dumps print it. */
export function hexEncodings(value: Buffer): string[] {
  const hex = value.toString('hex');
  return [hex, hex.toUpperCase()];
}
