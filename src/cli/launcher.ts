// The `ona-build` executable: runs the CLI bundle (cli.js, next to this file) with V8's code cache
// for it, written at build time. Compiling the bundle's code from source took ~50 ms of every run,
// most of what the wrapper adds to a cached build apart from Node's own start-up.
//
// The cache is only an accelerator, checked before use (see code-cache.ts): it must belong to
// this very content of the bundle, and be intact. A missing, damaged, unmatched or rejected cache
// (another Node version, V8 flags in NODE_OPTIONS) just means compiling as the bundle runs.

import fs from 'node:fs';
import path from 'node:path';

import { codeCachePath, openCache, runBundle } from './code-cache.js';

const bundle = path.join(__dirname, 'cli.js');
const source = readBundle(bundle);
runBundle(bundle, source, readCache(codeCachePath(bundle, source)));

function readBundle(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    process.stderr.write(
      `ona-build: error: cannot read ${file} (${code}); the installation is incomplete: ` +
        'reinstall ona-build, or run npm run build in its source\n',
    );
    process.exit(70);
  }
}

function readCache(file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return openCache(fs.readFileSync(file), file);
  } catch {
    return undefined;
  }
}
