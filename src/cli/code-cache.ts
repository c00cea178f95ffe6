// What the launcher and the build-time cache writer (scripts/bundle.mjs) agree on: how the bundle
// is wrapped for vm.Script, how a bundle names its code cache, and how a cache file is sealed.
//
// V8 checks little more than the source's length before it uses a code cache, and a damaged cache
// can crash it or run wrong code. So the cache is tied to the bundle's content, and checked:
// - the bundle's first line holds the SHA-256 of the rest of it, verified on every start, and
//   its cache file is named after that; an edited bundle finds no cache;
// - the cache file starts with the SHA-256 of that id and what follows; a damaged cache, or one
//   renamed to another bundle's id, is not used.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

// CommonJS's own wrapper, so the bundle sees the usual module variables.
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n});';

const ID_LINE = /^\/\/ ona-build bundle ([0-9a-f]{64})\n/;
const DIGEST_BYTES = 32;

/** The first line of a bundle whose id is still to be filled in (same length as the real one). */
export const ID_PLACEHOLDER = `// ona-build bundle ${'0'.repeat(64)}`;

export function wrapBundle(source: string): string {
  return WRAP_HEAD + source + WRAP_TAIL;
}

type BundleFunction = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/**
 * Compiles the bundle (from `cachedData` when given and accepted) and runs it as a CommonJS
 * module. Returns the script, whose code cache can then be taken, and the module's exports.
 */
export function runBundle(
  bundle: string,
  source: string,
  cachedData?: Buffer,
): { script: vm.Script; exports: Record<string, unknown> } {
  const script = new vm.Script(wrapBundle(source), { filename: bundle, cachedData });
  const module = { exports: {} };
  const run = script.runInThisContext() as BundleFunction;
  run(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return { script, exports: module.exports };
}

/** `source` (which starts with the placeholder line) with its id filled in. */
export function stampBundle(source: string): string {
  const body = source.slice(ID_PLACEHOLDER.length + 1);
  return `// ona-build bundle ${sha256(body).toString('hex')}\n${body}`;
}

/**
 * `<bundle>.<id>.cache` for a bundle whose first line holds the digest of the rest of it;
 * undefined for any other bundle (no id, or edited since it was built).
 */
export function codeCachePath(bundle: string, source: string): string | undefined {
  const match = ID_LINE.exec(source);
  if (!match || sha256(source.slice(match[0].length)).toString('hex') !== match[1]) {
    return undefined;
  }
  return `${bundle}.${match[1].slice(0, 32)}.cache`;
}

/**
 * Cache data as written to its file: first the digest of the bundle's id and the data, so a
 * cache renamed to another bundle's id is refused as surely as a damaged one.
 */
export function sealCache(data: Buffer, cachePath: string): Buffer {
  return Buffer.concat([sealOf(cachePath, data), data]);
}

/** The cache data in a file written by sealCache for this path; undefined otherwise. */
export function openCache(file: Buffer, cachePath: string): Buffer | undefined {
  const data = file.subarray(DIGEST_BYTES);
  const seal = file.subarray(0, DIGEST_BYTES);
  return file.length > DIGEST_BYTES && sealOf(cachePath, data).equals(seal) ? data : undefined;
}

/** The bundle id in the cache's file name, and the data. */
function sealOf(cachePath: string, data: Buffer): Buffer {
  const id = /\.([0-9a-f]{32})\.cache$/.exec(cachePath)?.[1] ?? '';
  return createHash('sha256').update(id).update(data).digest();
}

function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
