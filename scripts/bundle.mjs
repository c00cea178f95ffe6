// Bundles the CLI into dist/bin: cli.js (everything but native modules), ona-build.js (the small
// launcher that is the executable) and cli.js.<id>.cache (V8's code cache for this build of
// cli.js). Loading one file instead of a few hundred modules, and not compiling it from source,
// is most of what keeps the wrapper's start-up small next to a cached build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { build } from 'esbuild';

import { ID_PLACEHOLDER, stampBundle } from '../dist/cli/code-cache.js';

const OUT = 'dist/bin';
const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8'));

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
// CommonJS, because vm.Script (which takes a code cache) runs scripts, not ES modules.
fs.writeFileSync(path.join(OUT, 'package.json'), '{ "type": "commonjs" }\n');

// string-width builds an Intl.Segmenter and a Unicode emoji RegExp as it loads, ~10 ms of every
// start-up, though only help text measures strings. Each import of it (yargs, cliui, wrap-ansi,
// each with its own version) gets a stand-in that loads that same copy on the first call.
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'real',
      });
      return { path: real.path, namespace: 'lazy-string-width' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: [
        'let real;',
        'export default function stringWidth(text, options) {',
        `  real ??= require(${JSON.stringify(args.path)}).default;`,
        '  return real(text, options);',
        '}',
      ].join('\n'),
      resolveDir: path.dirname(args.path),
    }));
  },
};

// yargs imports node:assert (a few milliseconds to load) for checks that only fail on misuse.
// Its import gets stand-ins that make the same test (Object.is, as node:assert does) and load
// node:assert only when it fails, to throw its usual error.
const lazyAssert = {
  name: 'lazy-assert',
  setup(build) {
    build.onResolve({ filter: /^assert$/ }, (args) =>
      args.importer.includes('/node_modules/yargs/')
        ? { path: 'assert', namespace: 'lazy-assert' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-assert' }, () => ({
      contents: [
        'export function strictEqual(actual, expected, message) {',
        '  if (Object.is(actual, expected)) return;',
        "  require('node:assert').strictEqual(actual, expected, message);",
        '}',
        'export function notStrictEqual(actual, expected, message) {',
        '  if (!Object.is(actual, expected)) return;',
        "  require('node:assert').notStrictEqual(actual, expected, message);",
        '}',
      ].join('\n'),
    }));
  },
};

// dockerode (with ssh2 and gRPC, two thirds of all the code) serves only pulls and scans. It gets
// a file of its own, read only when one of those runs: every other command reads a third as much.
const dockerodeApart = {
  name: 'dockerode-apart',
  setup(build) {
    build.onResolve({ filter: /^dockerode$/ }, () => ({
      path: './vendor/dockerode.js',
      external: true,
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['src/cli/launcher.ts'],
  outfile: path.join(OUT, 'ona-build.js'),
  banner: { js: '#!/usr/bin/env node' },
});

await build({
  ...common,
  entryPoints: ['src/cli/entry.ts'],
  outfile: path.join(OUT, 'cli.js'),
  plugins: [lazyStringWidth, lazyAssert, dockerodeApart],
  sourcemap: true,
  // better-sqlite3 is native: it stays in node_modules.
  external: ['better-sqlite3'],
  // jsonc-parser's default entry is a UMD build whose lazy requires esbuild cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // ES modules among the dependencies read import.meta.url, which a CommonJS bundle lacks.
  define: {
    'import.meta.url': '__onaImportMetaUrl',
    ONA_BUILD_PACKAGE_VERSION: JSON.stringify(version),
  },
  banner: {
    js: [
      // Replaced below by the digest of what follows it: same length, so the source map holds.
      ID_PLACEHOLDER,
      "var __onaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    ].join('\n'),
  },
});

await build({
  ...common,
  entryPoints: ['dockerode'],
  outfile: path.join(OUT, 'vendor', 'dockerode.js'),
  // ssh2's optional native helpers: dockerode reaches remote engines over ssh with them, and
  // ona-build never loads them for local sockets.
  external: ['cpu-features', '*.node'],
});

const cli = path.join(OUT, 'cli.js');
fs.writeFileSync(cli, stampBundle(fs.readFileSync(cli, 'utf8')));
fs.chmodSync(path.join(OUT, 'ona-build.js'), 0o755);

// The cache holds what V8 compiled while the bundle ran the commands of a dry-run build.
const written = spawnSync(
  process.execPath,
  ['scripts/write-code-cache.mjs', path.join(OUT, 'cli.js')],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
if (written.status !== 0) {
  process.stderr.write(written.stderr);
  throw new Error('writing the code cache failed');
}
