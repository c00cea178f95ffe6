import vm from 'node:vm';

import { describe, expect, it } from 'vitest';

import {
  codeCachePath,
  ID_PLACEHOLDER,
  openCache,
  sealCache,
  stampBundle,
  wrapBundle,
} from './code-cache.js';

const built = (body: string) => stampBundle(`${ID_PLACEHOLDER}\n${body}`);

describe('codeCachePath', () => {
  it('names the cache after the digest on the first line, once it matches the rest', () => {
    const source = built('var x = 1;\n');

    const cache = codeCachePath('/opt/ona/cli.js', source);

    expect(source.split('\n')[0]).toHaveLength(ID_PLACEHOLDER.length);
    expect(cache).toMatch(/^\/opt\/ona\/cli\.js\.[0-9a-f]{32}\.cache$/);
    expect(codeCachePath('/opt/ona/cli.js', built('var x = 2;\n'))).not.toBe(cache);
  });

  it('has no cache for a bundle edited after it was built, even to the same length', () => {
    const source = built('var VERSION = "0.1.0";\n');

    expect(codeCachePath('/opt/ona/cli.js', source.replace('0.1.0', '0.9.9'))).toBeUndefined();
  });

  it.each([
    ['no id line', 'var x = 1;\n'],
    ['the placeholder', `${ID_PLACEHOLDER}\nvar x = 1;\n`],
    ['an id that is not hex', '// ona-build bundle ../../etc/passwd\n'],
  ])('has no cache for a bundle with %s', (_, source) => {
    expect(codeCachePath('/opt/ona/cli.js', source)).toBeUndefined();
  });
});

describe('sealCache and openCache', () => {
  const data = Buffer.from('cached bytecode, in reality much longer');
  const path = `/opt/ona/cli.js.${'ab'.repeat(16)}.cache`;

  it('give back the data sealed', () => {
    expect(openCache(sealCache(data, path), path)).toEqual(data);
  });

  it('refuse a cache with a changed bit, a cut-off end or no data at all', () => {
    const sealed = sealCache(data, path);
    const flipped = Buffer.from(sealed);
    flipped[40] ^= 1;

    expect(openCache(flipped, path)).toBeUndefined();
    expect(openCache(sealed.subarray(0, sealed.length - 1), path)).toBeUndefined();
    expect(openCache(sealed.subarray(0, 32), path)).toBeUndefined();
    expect(openCache(Buffer.alloc(0), path)).toBeUndefined();
  });

  it("refuse a cache renamed to another bundle's id", () => {
    const other = `/opt/ona/cli.js.${'cd'.repeat(16)}.cache`;

    expect(openCache(sealCache(data, path), other)).toBeUndefined();
  });
});

type Wrapped = (exports: object, req: unknown, module: object, file: string, dir: string) => void;

const compile = (source: string) => vm.runInThisContext(wrapBundle(source)) as Wrapped;

describe('wrapBundle', () => {
  it('gives the bundle the CommonJS module variables', () => {
    const run = compile('module.exports = [typeof require, __filename, __dirname];');
    const module = { exports: [] as unknown[] };

    run(module.exports, () => undefined, module, '/a/cli.js', '/a');

    expect(module.exports).toEqual(['function', '/a/cli.js', '/a']);
  });

  it('ends the wrapper on its own line, so a trailing line comment cannot swallow it', () => {
    expect(() => compile('var x = 1; // last line')).not.toThrow();
  });
});
