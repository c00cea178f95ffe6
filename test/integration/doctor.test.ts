// `ona-build doctor` on the real engine: every check passes on a working setup, and each broken
// part is named with what to do about it.

import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBuildSandbox, type BuildSandbox } from '../helpers/build-sandbox.js';
import { runCli, startCli } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';

describe.runIf(requireEngine())('ona-build doctor', () => {
  let sandbox: BuildSandbox;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
  });

  afterAll(() => sandbox?.remove());

  it('reports engine, builder, tmpfs, key and store healthy', async () => {
    const run = await runCli(sandbox, ['doctor']);

    expect(run.exitCode, run.stdout).toBe(0);
    for (const name of ['engine', 'builder', 'tmpfs', 'key', 'store']) {
      expect(run.stdout).toMatch(new RegExp(`^ok +${name} `, 'm'));
    }
    expect(run.stdout).toContain('buildx plugin');
  });

  it('says which temp root it passed over and why', async () => {
    const run = await runCli(sandbox, ['doctor'], { env: { XDG_RUNTIME_DIR: sandbox.dir } });

    const tmpfs = run.stdout.split('\n').find((line) => /^ok +tmpfs /.test(line));

    expect(tmpfs).toContain(
      `secret files go to /dev/shm (tmpfs); passed over ${sandbox.dir}: is not a tmpfs`,
    );
  });

  it('fails a store path that is a dangling symbolic link, as every command does', async () => {
    const link = path.join(sandbox.dir, 'dangling.db');
    fs.symlinkSync(path.join(sandbox.dir, 'missing.db'), link);

    const run = await runCli(sandbox, ['doctor'], { env: { ONA_BUILD_STORE: link } });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^FAIL +store +.*symbolic link to a missing file/m);
  });

  it('fails a key file that could never be created (below a regular file)', async () => {
    const file = path.join(sandbox.dir, 'a-file');
    fs.writeFileSync(file, '');

    const run = await runCli(sandbox, ['doctor'], {
      env: { ONA_BUILD_KEY_FILE: path.join(file, 'master.key') },
    });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^FAIL +key +.*cannot be created: .*a-file is not a directory/m);
  });

  it('fails a key file with another hard link, which a build context could hold', async () => {
    const keyFile = path.join(sandbox.dir, 'master.key');
    const link = path.join(sandbox.dir, 'key-link.txt');
    fs.linkSync(keyFile, link);

    const run = await runCli(sandbox, ['doctor']);
    fs.unlinkSync(link);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^FAIL +key +.*master\.key has another hard link: .*cp, then rm/m);
    expect(run.stdout).toMatch(/^ok +store /m);
  });

  it('names each broken part and exits 1', async () => {
    const run = await runCli(sandbox, ['doctor'], {
      env: {
        ONA_BUILD_DOCKER: '/nonexistent/docker',
        ONA_BUILD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
        ONA_BUILD_TMPDIR: sandbox.dir,
      },
    });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^FAIL +engine +no Docker engine answers/m);
    expect(run.stdout).toMatch(/^FAIL +builder +docker client not found/m);
    expect(run.stdout).toMatch(/^FAIL +tmpfs .*is not a tmpfs/m);
    expect(run.stdout).toMatch(/^FAIL +store .*master key does not match/im);
  });

  it('exits 141 without a stack trace when its reader goes away (doctor | head -1)', async () => {
    const child = startCli(sandbox, ['doctor']);
    child.stdout!.once('data', () => child.stdout!.destroy());

    const result = await child;

    expect(result.exitCode).toBe(141);
    expect(Buffer.from(result.stderr as Uint8Array).toString()).not.toMatch(/\n\s+at /);
  });
});
