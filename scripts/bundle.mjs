// Bundles the CLI (dist/bin/ona-build.js). Loading one file instead of a few hundred
// ESM modules (yargs, execa and their dependencies) takes a third off every start-up, which is
// most of what the wrapper adds to a cached build. better-sqlite3 stays external: it is native.
import { build } from 'esbuild';

await build({
  entryPoints: { 'ona-build': 'src/cli/main.ts' },
  outdir: 'dist/bin',
  // Code only some commands need (dockerode, for pulls and scans) goes to chunks loaded on use.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Native modules stay outside: better-sqlite3, and ssh2's optional helpers (dockerode reaches
  // remote engines over ssh with them; ona-build never loads them for local sockets).
  external: ['better-sqlite3', 'cpu-features', '*.node'],
  // jsonc-parser's default entry is a UMD build whose lazy requires esbuild cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // CommonJS dependencies inside an ESM bundle still call require() and read __dirname.
  // Free references only: modules that declare their own __dirname keep it.
  define: { __dirname: '__onaDirname', __filename: '__onaFilename' },
  banner: {
    js: [
      "import { createRequire as __onaCreateRequire } from 'node:module';",
      "import { fileURLToPath as __onaFileUrlToPath } from 'node:url';",
      'const require = __onaCreateRequire(import.meta.url);',
      'const __onaFilename = __onaFileUrlToPath(import.meta.url);',
      "const __onaDirname = __onaFilename.slice(0, __onaFilename.lastIndexOf('/'));",
    ].join('\n'),
  },
  logLevel: 'warning',
});
