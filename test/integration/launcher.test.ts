// The executable runs the bundle with V8's code cache written at build time, and runs it just the
// same when the cache is missing, belongs to another build, or is garbage.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

import { afterEach, describe, expect, it } from 'vitest';

import { codeCachePath, openCache, wrapBundle } from '../../src/cli/code-cache.js';
import { CLI } from '../helpers/cli.js';

const BIN = path.dirname(CLI);
const version = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string })
  .version;

let copy: string | undefined;

afterEach(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
  copy = undefined;
});

/** A copy of dist/bin; better-sqlite3 is found through the repository's node_modules. */
function copyBin(): { dir: string; bundle: string; source: string; cache: string } {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-launcher-'));
  fs.cpSync(BIN, copy, { recursive: true });
  const bundle = path.join(copy, 'cli.js');
  const source = fs.readFileSync(bundle, 'utf8');
  return { dir: copy, bundle, source, cache: codeCachePath(bundle, source)! };
}

function runVersion(dir: string): string {
  const env = { PATH: process.env.PATH, NODE_PATH: path.resolve('node_modules') };
  return execFileSync(process.execPath, [path.join(dir, 'ona-build.js'), '--version'], {
    env,
  }).toString();
}

describe('the launcher', () => {
  it('has a code cache for this build of the bundle that V8 accepts', () => {
    const bundle = path.join(BIN, 'cli.js');
    const source = fs.readFileSync(bundle, 'utf8');
    const cache = codeCachePath(bundle, source);

    expect(cache).toBeDefined();
    const script = new vm.Script(wrapBundle(source), {
      filename: bundle,
      cachedData: openCache(fs.readFileSync(cache!), cache!),
    });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('ignores its cache once the bundle is edited, even to the same length', () => {
    const { dir, bundle, source } = copyBin();
    const edited = source.replace(`"${version}"`, `"${'9'.repeat(version.length)}"`);
    expect(edited).not.toBe(source);
    fs.writeFileSync(bundle, edited);

    expect(runVersion(dir).trim()).toBe('9'.repeat(version.length));
  });

  it('runs without a cache, and with a garbage one', () => {
    const { dir, cache } = copyBin();

    fs.rmSync(cache);
    expect(runVersion(dir).trim()).toBe(version);

    fs.writeFileSync(cache, Buffer.alloc(4096, 7));
    expect(runVersion(dir).trim()).toBe(version);
  });

  it('does not use a cache with one bit changed', () => {
    const { dir, cache } = copyBin();
    const damaged = fs.readFileSync(cache);
    damaged[damaged.length >> 1] ^= 1;
    fs.writeFileSync(cache, damaged);

    expect(openCache(damaged, cache)).toBeUndefined();
    expect(runVersion(dir).trim()).toBe(version);
  });

  it('says the installation is incomplete when the bundle is missing, with no stack trace', () => {
    const { dir, bundle } = copyBin();
    fs.rmSync(bundle);

    const run = spawnSync(process.execPath, [path.join(dir, 'ona-build.js'), '--version'], {
      env: { PATH: process.env.PATH },
    });

    expect(run.status).toBe(70);
    expect(run.stderr.toString()).toContain(`cannot read ${bundle} (ENOENT)`);
    expect(run.stderr.toString()).not.toMatch(/\n\s+at /);
  });

  it('says the installation is incomplete when a vendored module is missing', () => {
    const { dir } = copyBin();
    fs.rmSync(path.join(dir, 'vendor', 'dockerode.js'));
    const env = {
      PATH: process.env.PATH,
      NODE_PATH: path.resolve('node_modules'),
      ONA_BUILD_STORE: path.join(dir, 'store.db'),
      HOME: dir,
    };
    const cli = path.join(dir, 'ona-build.js');
    // A secret to scan for, so that the scan gets as far as loading its module.
    spawnSync(process.execPath, [cli, 'secret', 'set', 'TOKEN', '--org', 'acme'], {
      env,
      input: 'a-value-to-scan-for',
    });

    const run = spawnSync(process.execPath, [cli, 'scan', 'some-image:1', '--org', 'acme'], {
      env,
    });

    expect(run.status).toBe(70);
    expect(run.stderr.toString()).toContain(
      'cannot load ./vendor/dockerode.js: the installation is incomplete',
    );
    expect(run.stderr.toString()).not.toMatch(/\n\s+at /);
  });
});
