import { describe, expect, it } from 'vitest';

import { expandWord, UNKNOWN, type Lookup, type VarValue } from './expand.js';

const VARS: Record<string, VarValue> = {
  SET: { kind: 'set', value: 'value' },
  EMPTY: { kind: 'set', value: '' },
  SPACED: { kind: 'set', value: 'a b' },
  NOVALUE: { kind: 'unset', reason: 'NOVALUE has no value' },
  ARCH: { kind: 'unknown', reason: 'ARCH is only known at build time' },
  PARTIAL: { kind: 'set', value: `ghcr.io/${UNKNOWN}`, problems: ['TAG is unknown'] },
};

const lookup: Lookup = (name) => VARS[name] ?? { kind: 'unset', reason: `${name} is not declared` };

function expand(word: string, escape = '\\') {
  const { text, problems } = expandWord(word, lookup, escape);
  return { text: text.replaceAll(UNKNOWN, '?'), problems };
}

describe('expandWord', () => {
  it.each([
    ['plain', 'plain'],
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['x${SET}y', 'xvaluey'],
    ['$SET.txt', 'value.txt'],
    ['${SET:-d}', 'value'],
    ['${EMPTY:-d}', 'd'],
    ['${NOVALUE:-d}', 'd'],
    ['${UNDECLARED:-d}', 'd'],
    ['${SET-d}', 'value'],
    ['${EMPTY-d}', ''],
    ['${NOVALUE-d}', 'd'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${NOVALUE:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${NOVALUE+alt}', ''],
    ['${SET:?msg}', 'value'],
    ['${NOVALUE:-${SET}}', 'value'],
    ['${NOVALUE:-"a b"}', 'a b'],
    ['"$SPACED"', 'a b'],
    ['"${SET}"x', 'valuex'],
    ["'$SET'", '$SET'],
    ['\\$SET', '$SET'],
    ['"\\$SET"', '$SET'],
    ['"a\\b"', 'a\\b'],
    ['a\\b', 'ab'],
    ['$', '$'],
    ['$-', ''],
    ['$1', ''],
    ['$@x', 'x'],
    ['a$', 'a$'],
    ['100%', '100%'],
  ])('expands %j to %j', (word, expected) => {
    expect(expand(word)).toEqual({ text: expected, problems: [] });
  });

  it.each([
    ['`$SET', '`', '$SET'],
    ['\\$SET', '`', '\\value'],
    ['"`"x"', '`', '"x'],
  ])('expands %j with escape %s to %j', (word, escape, expected) => {
    expect(expand(word, escape).text).toBe(expected);
  });

  it.each([
    ['$NOVALUE', '?', ['NOVALUE has no value']],
    ['${UNDECLARED}', '?', ['UNDECLARED is not declared']],
    ['${ARCH}/alpine', '?/alpine', ['ARCH is only known at build time']],
    ['${ARCH:-amd64}', '?', ['ARCH is only known at build time']],
    ['${ARCH:+x}', '?', ['ARCH is only known at build time']],
    ['$PARTIAL:1', 'ghcr.io/?:1', ['TAG is unknown']],
    ['${PARTIAL:-x}', 'ghcr.io/?', ['TAG is unknown']],
    ['${NOVALUE:?set it}', '?', ['BuildKit stops the build: NOVALUE: set it']],
    ['${NOVALUE?}', '?', ['BuildKit stops the build: NOVALUE: is not allowed to be unset']],
    ['${SET#v}', '?', ['the form ${SET#...} is not evaluated by ona-build']],
    ['${SET/a/b}', '?', ['the form ${SET/...} is not evaluated by ona-build']],
  ])('marks what %j cannot know: %j', (word, text, problems) => {
    expect(expand(word)).toEqual({ text, problems });
  });

  it('only reports the problems of a default that is used', () => {
    expect(expand('${SET:-$NOVALUE}')).toEqual({ text: 'value', problems: [] });
    expect(expand('${EMPTY:-$NOVALUE}')).toEqual({ text: '?', problems: ['NOVALUE has no value'] });
  });

  it.each([
    ['${', "missing '}'"],
    ['${SET', "missing '}'"],
    ['${SET:-x', "missing '}'"],
    ['${}', 'bad substitution'],
    ['${:x}', 'bad substitution'],
    ['${SET:x}', 'unsupported modifier (x) in substitution'],
    ['${SET!}', 'unsupported modifier (!) in substitution'],
    ["'open", 'unexpected end of statement while looking for matching single-quote'],
    ['"open', 'unexpected end of statement while looking for matching double-quote'],
  ])('makes %j unknown with the syntax error %j', (word, message) => {
    expect(expand(word)).toEqual({
      text: '?',
      problems: [`cannot expand ${JSON.stringify(word)}: ${message}`],
    });
  });
});
