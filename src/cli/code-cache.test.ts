import vm from 'node:vm';

import { describe, expect, it } from 'vitest';

import { codeCachePath, wrapBundle } from './code-cache.js';

describe('codeCachePath', () => {
  it('names the cache after the build id on the first line', () => {
    const source = '// ona-build bundle 0123456789abcdef0123456789abcdef\nvar x = 1;\n';

    expect(codeCachePath('/opt/ona/cli.js', source)).toBe(
      '/opt/ona/cli.js.0123456789abcdef0123456789abcdef.cache',
    );
  });

  it.each([
    ['no id line', 'var x = 1;\n'],
    ['an id that is not hex', '// ona-build bundle ../../etc/passwd\n'],
    ['an id on a later line', 'var x;\n// ona-build bundle 0123456789abcdef\n'],
  ])('has no cache for a bundle with %s', (_, source) => {
    expect(codeCachePath('/opt/ona/cli.js', source)).toBeUndefined();
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
