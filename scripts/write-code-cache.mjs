// Runs the CLI bundle once, as the launcher does, and writes V8's code cache for it on exit.
// Usage: node scripts/write-code-cache.mjs dist/bin/cli.js ARGS...
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

import { codeCachePath, wrapBundle } from '../dist/cli/code-cache.js';

const [bundleArg, ...args] = process.argv.slice(2);
const bundle = path.resolve(bundleArg);
const source = fs.readFileSync(bundle, 'utf8');
const cacheFile = codeCachePath(bundle, source);
if (cacheFile === undefined) throw new Error(`${bundle} has no build id`);

const script = new vm.Script(wrapBundle(source), { filename: bundle });
process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));

process.argv = [process.execPath, bundle, ...args];
const module = { exports: {} };
script.runInThisContext()(
  module.exports,
  createRequire(bundle),
  module,
  bundle,
  path.dirname(bundle),
);
