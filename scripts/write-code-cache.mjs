// Writes V8's code cache for the CLI bundle: runs it as the launcher does, through the commands a
// build goes through, then saves what V8 compiled. Code that never ran in this process is not in
// the cache and is compiled on first use, so the run covers a whole build's path: the store,
// decryption, masks, the Dockerfile analysis, the plan, secret files, a spawn and the cleanup.
//
// Hermetic: a throwaway store and key, a throwaway Dockerfile, and a "docker" that is /bin/false,
// so nothing reaches an engine and nothing outside a temp directory is written.
//
// Usage: node scripts/write-code-cache.mjs dist/bin/cli.js
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { codeCachePath, runBundle, sealCache } from '../dist/cli/code-cache.js';

const bundle = path.resolve(process.argv[2]);
const source = fs.readFileSync(bundle, 'utf8');
const cacheFile = codeCachePath(bundle, source);
if (cacheFile === undefined) throw new Error(`${bundle} has no build id`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-code-cache-'));
const value = path.join(work, 'value');
fs.writeFileSync(value, randomBytes(32).toString('hex'), { mode: 0o600 });
fs.mkdirSync(path.join(work, 'context'));
fs.writeFileSync(
  path.join(work, 'context', 'Dockerfile'),
  'FROM scratch\nRUN --mount=type=secret,id=TOKEN,required=true cat /run/secrets/TOKEN\n',
);

process.env = {
  PATH: process.env.PATH,
  HOME: work,
  TMPDIR: work,
  ONA_BUILD_STORE: path.join(work, 'store.db'),
  ONA_BUILD_MASTER_KEY: randomBytes(32).toString('base64'),
  ONA_BUILD_DOCKER: '/bin/false',
};

const scope = ['--org', 'cache', '--project', 'p'];
// The first command creates the store: every other one reads an existing store only.
process.argv = [
  process.execPath,
  bundle,
  'secret',
  'set',
  'TOKEN',
  '--org',
  'cache',
  '--from-file',
  value,
];
const { script, exports } = runBundle(bundle, source);
process.on('exit', () => {
  fs.writeFileSync(cacheFile, sealCache(script.createCachedData(), cacheFile));
  fs.rmSync(work, { recursive: true, force: true });
});

const { firstRun, main } = exports;
await firstRun;
await main(['secret', 'list', ...scope]);
await main(['secret', 'set', 'OTHER', ...scope, '--from-file', value]);
await main(['build', ...scope, '--dry-run', path.join(work, 'context')]);
await main(['secret', 'resolve', ...scope]);
// Writes the secret files and docker config, spawns, streams output through the redactor, cleans.
await main(['exec', ...scope, '--', '/bin/echo', 'cached']);
// Exit codes of the runs above do not matter; help is printed last, and exits.
process.exitCode = 0;
await main(['build', '--help']);
