// Bundles the CLI into dist/bin: cli.js (everything but native modules), ona-build.js (the small
// launcher that is the executable) and cli.js.<id>.cache (V8's code cache for this build of
// cli.js). Loading one file instead of a few hundred modules, and not compiling it from source,
// is most of what keeps the wrapper's start-up small next to a cached build.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { build } from 'esbuild';

const OUT = 'dist/bin';
const id = randomBytes(16).toString('hex');

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
// CommonJS, because vm.Script (which takes a code cache) runs scripts, not ES modules.
fs.writeFileSync(path.join(OUT, 'package.json'), '{ "type": "commonjs" }\n');

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
  sourcemap: true,
  // Native modules stay outside: better-sqlite3, and ssh2's optional helpers (dockerode reaches
  // remote engines over ssh with them; ona-build never loads them for local sockets).
  external: ['better-sqlite3', 'cpu-features', '*.node'],
  // jsonc-parser's default entry is a UMD build whose lazy requires esbuild cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // ES modules among the dependencies read import.meta.url, which a CommonJS bundle lacks.
  define: { 'import.meta.url': '__onaImportMetaUrl' },
  banner: {
    js: [
      `// ona-build bundle ${id}`,
      "var __onaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    ].join('\n'),
  },
});

fs.chmodSync(path.join(OUT, 'ona-build.js'), 0o755);

// The cache holds what V8 compiled while running `build --help` once: the start-up of every
// module and the command table, which every command goes through.
const written = spawnSync(
  process.execPath,
  ['scripts/write-code-cache.mjs', path.join(OUT, 'cli.js'), 'build', '--help'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
if (written.status !== 0) throw new Error('writing the code cache failed');
