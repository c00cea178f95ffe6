// What the launcher and the build-time cache writer (scripts/bundle.mjs) must agree on: how the
// bundle is wrapped for vm.Script, and where the code cache of one build of it lives.

// CommonJS's own wrapper, so the bundle sees the usual module variables.
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n});';

/** First line of every bundle: `// ona-build bundle <id>`, the id fresh for each build. */
const BUILD_ID = /^\/\/ ona-build bundle ([0-9a-f]{16,64})\n/;

export function wrapBundle(source: string): string {
  return WRAP_HEAD + source + WRAP_TAIL;
}

/** `<bundle>.<id>.cache`, or undefined for a bundle without a build id. */
export function codeCachePath(bundle: string, source: string): string | undefined {
  const id = BUILD_ID.exec(source)?.[1];
  return id === undefined ? undefined : `${bundle}.${id}.cache`;
}
