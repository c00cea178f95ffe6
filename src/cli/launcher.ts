// The `ona-build` executable: runs the CLI bundle (cli.js, next to this file) with V8's code cache
// for it, written at build time. Compiling the bundle's code from source took ~50 ms of every run,
// most of what the wrapper adds to a cached build apart from Node's own start-up.
//
// The cache is only an accelerator. Each build of the bundle has its own id, which names its cache
// file, so a cache can never be paired with another bundle (V8 checks little more than the source
// length). A missing, unreadable or rejected cache (another Node version) just means compiling.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

import { codeCachePath, wrapBundle } from './code-cache.js';

const bundle = path.join(__dirname, 'cli.js');
const source = readBundle(bundle);
const script = new vm.Script(wrapBundle(source), {
  filename: bundle,
  cachedData: readCache(codeCachePath(bundle, source)),
});

const run = script.runInThisContext() as BundleFunction;
const module = { exports: {} };
run(module.exports, createRequire(bundle), module, bundle, __dirname);

type BundleFunction = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

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
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
