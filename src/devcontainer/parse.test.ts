import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { OnaBuildError } from '../errors.js';
import { lineAndColumn, parseDevcontainerJson, readDevcontainerJson } from './parse.js';
import { thrownBy } from '../test-support/thrown-by.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/devcontainer/', import.meta.url));
const FILE = '/repo/.devcontainer/devcontainer.json';

/** The error a parse throws, for checking its fields. */
function parseError(text: string): OnaBuildError {
  return thrownBy(() => parseDevcontainerJson(text, FILE), OnaBuildError);
}

describe('parseDevcontainerJson', () => {
  it('reads comments, trailing commas and comment-like text inside strings (C20)', () => {
    const file = `${FIXTURES}jsonc-c20/.devcontainer/devcontainer.json`;

    expect(readDevcontainerJson(file)).toEqual({
      name: 'app',
      build: {
        dockerfile: 'Dockerfile',
        args: {
          MIRROR: 'https://mirror.example.com//pypi/simple',
          NOTE: 'a /* not a comment */ b',
        },
      },
    });
  });

  it.each([
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3, 'CommaExpected'],
    ['an unclosed object', '{\n  "a": 1\n', 3, 1, 'CloseBraceExpected'],
    ['an unquoted name', '{\n  // c\n  build: {}\n}', 3, 3, 'InvalidSymbol'],
    ['an empty file', '', 1, 1, 'ValueExpected'],
    ['CRLF line ends', '{\r\n"a": 1\r\n"b": 2}', 3, 1, 'CommaExpected'],
    ['an unterminated block comment', '{ "a": 1 /* open', 1, 10, 'UnexpectedEndOfComment'],
  ])('reports %s with line, column and the parser error name', (_, text, line, column, code) => {
    const error = parseError(text);
    const expected = `${FILE}:${line}:${column}: malformed JSONC: ${code}`;

    expect(error.code).toBe('DEVCONTAINER_CONFIG');
    expect(error.exitCode).toBe(2);
    expect(error.message.slice(0, expected.length)).toBe(expected);
  });

  it('reports the JSON5-style fixture at the unquoted name', () => {
    const file = `${FIXTURES}malformed/.devcontainer/devcontainer.json`;

    expect(() => readDevcontainerJson(file)).toThrow(
      `${file}:4:3: malformed JSONC: InvalidSymbol (and 5 more)`,
    );
  });

  it.each(['[]', '"Dockerfile"', 'null', '42', '// only a comment\ntrue'])(
    'refuses %j because the top level is not an object',
    (text) => {
      expect(() => parseDevcontainerJson(text, FILE)).toThrow(
        `${FILE}: must contain a JSON object at the top level`,
      );
    },
  );

  it('accepts a byte order mark before the object', () => {
    expect(parseDevcontainerJson('\uFEFF{"image": "x"}', FILE)).toEqual({ image: 'x' });
  });

  it('keeps the values of every fixture that must parse', () => {
    const text = readFileSync(`${FIXTURES}c24/.devcontainer/devcontainer.json`, 'utf8');

    expect(parseDevcontainerJson(text, FILE)).toMatchObject({
      build: { args: { GREETING: `Hello & world; $(id) "quoted" 'single'`, EMPTY: '' } },
    });
  });
});

describe('lineAndColumn', () => {
  it.each([
    ['abc', 0, 1, 1],
    ['abc', 2, 1, 3],
    ['a\nbc', 2, 2, 1],
    ['a\r\nbc', 4, 2, 2],
    ['a\rb\nc', 4, 3, 1],
    ['\n\n\nx', 3, 4, 1],
  ])('places offset %#', (text, offset, line, column) => {
    expect(lineAndColumn(text, offset)).toEqual({ line, column });
  });
});
