import { describe, expect, it } from 'vitest';

import type { Lookup } from './expand.js';
import { goBase, parseMount, splitCsv, toSecretMount } from './mounts.js';

const noVariables: Lookup = (name) => ({ kind: 'unset', reason: `${name} is not set` });

describe('splitCsv', () => {
  it.each([
    ['a,b', ['a', 'b']],
    ['a', ['a']],
    ['a,', ['a', '']],
    [',a', ['', 'a']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['"a"', ['a']],
    [' a , b ', [' a ', ' b ']],
  ])('splits %j into %j', (text, fields) => {
    expect(splitCsv(text)).toEqual(fields);
  });

  it.each([
    ['a"b', 'bare " in non-quoted-field'],
    ['"a"b', 'extraneous or missing " in quoted-field'],
    ['"open', 'extraneous or missing " in quoted-field'],
    ['', 'EOF'],
  ])('rejects %j as encoding/csv does: %s', (text, error) => {
    expect(splitCsv(text)).toBe(error);
  });
});

describe('goBase', () => {
  it.each([
    ['/root/.npmrc', '.npmrc'],
    ['/etc/pip/pip.conf', 'pip.conf'],
    ['relative/name', 'name'],
    ['name', 'name'],
    ['/dir/', 'dir'],
    ['/dir//', 'dir'],
    ['/', '/'],
    ['', '.'],
  ])('takes the base of %j as %j, like path.Base', (path, base) => {
    expect(goBase(path)).toBe(base);
  });
});

describe('toSecretMount', () => {
  function secret(spec: string) {
    const mount = parseMount(spec, noVariables, '\\');
    if (typeof mount === 'string') throw new Error(mount);
    return toSecretMount(mount);
  }

  it('prefers source over the target base name, and id over both when source is absent', () => {
    expect(secret('type=secret,source=a,target=/x/b').id).toBe('a');
    expect(secret('type=secret,id=a,target=/x/b').id).toBe('a');
    expect(secret('type=secret,target=/x/b').id).toBe('b');
  });

  it('expands values, but never `from`', () => {
    const lookup: Lookup = (name) =>
      name === 'ID' ? { kind: 'set', value: 'tok' } : noVariables(name);
    const mount = parseMount('type=cache,from=$ID,id=$ID', lookup, '\\');

    expect(typeof mount === 'string' ? mount : mount.fields.get('from')?.value).toBe('$ID');
    expect(typeof mount === 'string' ? mount : mount.fields.get('id')?.value).toBe('tok');
  });
});
