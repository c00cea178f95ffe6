// Bundles the CLI into one file (dist/ona-build.js). Loading one file instead of a few hundred
// ESM modules (yargs, execa and their dependencies) takes a third off every start-up, which is
// most of what the wrapper adds to a cached build. better-sqlite3 stays external: it is native.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/ona-build.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3'],
  // jsonc-parser's default entry is a UMD build whose lazy requires esbuild cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: {
    js:
      "import { createRequire as __onaCreateRequire } from 'node:module';\n" +
      'const require = __onaCreateRequire(import.meta.url);',
  },
  logLevel: 'warning',
});
