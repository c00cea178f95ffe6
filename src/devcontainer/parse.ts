// Reads devcontainer.json as JSONC (comments and trailing commas allowed) with a real parser, so
// `//` inside a string stays data. Unlike the dev container CLI, which ignores parse errors and
// builds from whatever the parser recovered, a malformed file stops here with line and column.

import { readFileSync } from 'node:fs';

import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

import { configError } from './config-error.js';

export type DevcontainerJson = Record<string, unknown>;

export function readDevcontainerJson(file: string): DevcontainerJson {
  return parseDevcontainerJson(readFileSync(file, 'utf8'), file);
}

/** `file` only names the source in error messages. */
export function parseDevcontainerJson(text: string, file: string): DevcontainerJson {
  // Editors save a byte order mark now and then; the parser would call it an invalid symbol.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;

  const errors: ParseError[] = [];
  const value: unknown = parse(source, errors, { allowTrailingComma: true });

  if (errors.length > 0) throw malformed(file, source, errors);
  if (!isObject(value)) throw configError(file, 'must contain a JSON object at the top level');
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `file:line:column: ...` so editors and terminals can jump to the spot. */
function malformed(file: string, source: string, errors: ParseError[]) {
  const [first] = errors;
  const { line, column } = lineAndColumn(source, first.offset);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  const message = `malformed JSONC: ${printParseErrorCode(first.error)}${more}`;
  return configError(`${file}:${line}:${column}`, message);
}

/** 1-based, counting \n, \r\n and a lone \r as one line break each, as the parser does. */
export function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const breaks = before.match(/\r\n|\r|\n/g) ?? [];
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  return { line: breaks.length + 1, column: offset - lineStart + 1 };
}
