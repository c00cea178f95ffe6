// Forms a JSON document secret (a cloud service-account key) takes when printed in part or
// reformatted. `jq -r .private_key key.json` prints one member with its escapes decoded, so the PEM
// body appears line by line: lines that never occur in the file, where the key is one long line
// with `\n` escapes. `jq -c` prints the document on one line.

import { isUtf8 } from 'node:buffer';

import { trimAsciiSpace } from './ascii.js';
import { maskableLines } from './lines.js';

/**
 * The compact document and the lines of each multi-line string member. Single-line members are
 * left out on purpose: they include public strings such as `service_account` or token URLs, and
 * masking those everywhere would hide ordinary output.
 */
export function jsonForms(value: Buffer, minLength: number): Buffer[] {
  const document = parseDocument(value);
  if (document === undefined) return [];

  const forms: Buffer[] = [Buffer.from(JSON.stringify(document))];
  for (const member of multiLineStrings(document)) {
    const bytes = Buffer.from(member);
    forms.push(bytes, trimAsciiSpace(bytes), ...maskableLines(bytes, minLength));
  }
  return forms;
}

function parseDocument(value: Buffer): unknown {
  const first = trimAsciiSpace(value)[0];
  if ((first !== 0x7b && first !== 0x5b) || !isUtf8(value)) return undefined; // `{` or `[`

  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function multiLineStrings(node: unknown): string[] {
  if (typeof node === 'string') return node.includes('\n') ? [node] : [];
  if (typeof node !== 'object' || node === null) return [];

  return Object.values(node).flatMap(multiLineStrings);
}
