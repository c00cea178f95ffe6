// `npm run bench` is no test of speed, but it must keep running: with ONA_BENCH_QUICK=1 it runs
// every part once at a small size (a real cached build, 200 stored secrets, a short redaction, a
// small image scan) and prints each result line.

import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { REPO_ROOT } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';

describe.runIf(requireEngine())('npm run bench', () => {
  it('runs every part in its quick form', async () => {
    const run = await execa(process.execPath, [path.join(REPO_ROOT, 'bench', 'run.js')], {
      cwd: REPO_ROOT,
      env: { ONA_BENCH_QUICK: '1' },
      reject: false,
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^cached build, 50 secrets: docker buildx build [\d.]+ ms, /m);
    expect(run.stdout).toMatch(/^resolve \+ materialize 200 secrets: [\d.]+ ms/m);
    expect(run.stdout).toMatch(/^ {2}200 bare AES-256-GCM decryptions: [\d.]+ ms$/m);
    expect(run.stdout).toMatch(/^redaction, 100 secrets: \d+ MB\/s/m);
    expect(run.stdout).toMatch(/^scan 8 MiB image, 100 secrets: export [\d.]+ s, scan [\d.]+ s/m);
  }, 120_000);
});
