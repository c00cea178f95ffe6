import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { LeakFoundError, UsageError } from '../errors.js';
import { Logger } from '../log.js';
import { Redactor } from '../redact/index.js';
import { makeTar } from '../scan/__fixtures__/exports.js';
import type { Secret } from '../secrets/model.js';
import {
  exportsToStdout,
  pushesResult,
  refuseScanAfterPush,
  refuseUnscannableOutputs,
  scanBuildResult,
  scanTarget,
} from './leak-scan.js';

const TOKEN = 'tok-5d1e8c07b2a4';
const SECRETS: Secret[] = [
  {
    name: 'short_token',
    type: 'file',
    scope: { kind: 'project', org: 'acme', owner: 'web' },
    mount: '/run/secrets/short_token',
    value: Buffer.from(TOKEN),
  },
];

describe('pushesResult', () => {
  it.each([
    [['--push', '.']],
    [['--push=true', '.']],
    [['-o', 'type=registry', '.']],
    [['--output=type=image,name=r/x,push=true', '.']],
    [['-o', 'type=image,name=r/x,push=1', '.']],
    [['-o', 'type=image,push=TRUE,name=r/x', '.']],
    [['--push=1', '.']],
  ])('sees a push in %j', (args) => {
    expect(pushesResult(args)).toBe(true);
  });

  it.each([
    [['--load', '.']],
    [['--push=false', '.']],
    [['--output', 'type=image,push=false', '.']],
    [['--output', 'type=image,push=0', '.']],
    [['--push=f', '.']],
    [['-o', 'type=docker,dest=out.tar', '.']],
    [['.', '--', '--push']],
  ])('sees no push in %j', (args) => {
    expect(pushesResult(args)).toBe(false);
  });
});

describe('refuseScanAfterPush', () => {
  it('refuses --scan-leaks=fail with a push: the scan would come too late to stop it', () => {
    expect(() => refuseScanAfterPush(['--push', '.'], 'fail')).toThrow(UsageError);
    expect(() => refuseScanAfterPush(['--push', '.'], 'fail')).toThrow(/--load/);
  });

  it('lets warn mode, and fail mode without a push, through', () => {
    expect(() => refuseScanAfterPush(['--push', '.'], 'warn')).not.toThrow();
    expect(() => refuseScanAfterPush(['--load', '.'], 'fail')).not.toThrow();
  });
});

describe('exportsToStdout', () => {
  it.each<[string[], boolean]>([
    [['-o', '-', '.'], true],
    [['--output=-', '.'], true],
    [['--output', 'type=tar,dest=-', '.'], true],
    [['-o', 'type=oci,dest=-', '.'], true],
    [['-o', 'type=tar,dest=out.tar', '.'], false],
    [['-o', 'type=local,dest=out', '.'], false],
    [['--load', '.'], false],
    // buildx writes a tar or OCI archive with no dest to stdout.
    [['-o', 'type=tar', '.'], true],
    [['-o', 'type=local,dest=out', '-o', '-', '.'], true],
  ])('%j: %s', (args, expected) => {
    expect(exportsToStdout(args)).toBe(expected);
  });
});

describe('scanTarget', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-leak-scan-'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the image in the engine through an --iidfile in the run directory', () => {
    const target = scanTarget(['--load', '.'], dir)!;
    fs.writeFileSync(path.join(dir, 'iid'), 'sha256:abc\n');

    expect(target.flags).toEqual(['--iidfile', path.join(dir, 'iid')]);
    expect(target.read()).toEqual([{ kind: 'image', image: 'sha256:abc' }]);
  });

  it("reads the user's own --iidfile and adds none", () => {
    const own = path.join(dir, 'mine');
    const target = scanTarget(['--iidfile', own, '.'], dir)!;
    fs.writeFileSync(own, 'sha256:def');

    expect(target.flags).toEqual([]);
    expect(target.read()).toEqual([{ kind: 'image', image: 'sha256:def' }]);
  });

  // buildx refuses an image ID file next to these: "local and tar exporters are incompatible".
  it.each<[string[], string, string]>([
    [['-o', 'type=local,dest=out'], 'directory', 'out'],
    [['--output=out'], 'directory', 'out'],
    [['-o', 'type=tar,dest=fs.tar'], 'filesystem-tar', 'fs.tar'],
    [['-o', 'type=docker,dest=image.tar'], 'image-archive', 'image.tar'],
  ])('adds no --iidfile for %j and scans what it wrote', (output, kind, dest) => {
    const target = scanTarget([...output, '.'], dir)!;

    expect(target.flags).toEqual([]);
    expect(target.read()).toEqual([{ kind, path: path.resolve(dest) }]);
    expect(target.unscannable).toEqual([]);
  });

  it('leaves an archive on stdout to the watch on stdout', () => {
    expect(scanTarget(['-o', '-', '.'], dir)).toBeUndefined();
    expect(scanTarget(['-o', 'type=tar', '.'], dir)).toBeUndefined();
  });

  it('says what it cannot scan instead of breaking the build', () => {
    const target = scanTarget(['--load', '-o', 'type=local,dest=out', '.'], dir)!;

    expect(target.flags).toEqual([]);
    expect(target.read()).toEqual([{ kind: 'directory', path: path.resolve('out') }]);
    expect(target.unscannable).toEqual([
      expect.stringContaining('the image loaded into the engine is not scanned next to'),
    ]);
    expect(scanTarget(['-o', 'type=oci,dest=layout,tar=false', '.'], dir)!.unscannable).toEqual([
      expect.stringContaining('--output type=oci,dest=layout is not scanned'),
    ]);
  });

  it('expects nothing from a cache-only build', () => {
    const target = scanTarget(['-o', 'type=cacheonly', '.'], dir)!;

    expect(target).toMatchObject({ flags: [], unscannable: [] });
    expect(target.read()).toEqual([]);
  });
});

describe('refuseUnscannableOutputs', () => {
  it.each([
    [['--load', '-o', 'type=local,dest=out', '.']],
    [['-o', 'type=oci,dest=layout,tar=false', '.']],
    [['-o', 'type=future,dest=out', '.']],
  ])('refuses --scan-leaks=fail up front for %j', (args) => {
    expect(() => refuseUnscannableOutputs(args, 'fail')).toThrow(UsageError);
    expect(() => refuseUnscannableOutputs(args, 'fail')).toThrow(/^--scan-leaks=fail cannot pass/);
    expect(() => refuseUnscannableOutputs(args, 'warn')).not.toThrow();
  });

  it('lets outputs it can scan through', () => {
    for (const output of ['type=local,dest=out', 'type=tar,dest=fs.tar', '-', 'type=docker']) {
      expect(() => refuseUnscannableOutputs(['-o', output, '.'], 'fail')).not.toThrow();
    }
  });
});

describe('scanBuildResult', () => {
  let dir: string;
  let lines: string[];
  let logger: Logger;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-leak-result-'));
    lines = [];
    const sink = { write: (text: string) => lines.push(...text.split('\n').filter(Boolean)) };
    logger = new Logger({ level: 'info', format: 'text', redactor: new Redactor(), sink });
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const scanOutput = (output: string, mode: 'warn' | 'fail') =>
    scanBuildResult(scanTarget(['-o', output, '.'], dir)!, SECRETS, mode, logger, {});

  it('warns about a secret copied into an exported directory, naming the file', async () => {
    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'out', 'token'), TOKEN);

    await scanOutput(`type=local,dest=${dir}/out`, 'warn');

    expect(lines).toEqual([
      'ona-build: warn: leak: short_token (project acme/web) as exact in output ' +
        `${dir}/out at /token`,
      `ona-build: warn: 1 leak found in ${dir}/out (1 files, 0.0 MB)`,
    ]);
  });

  it('fails on a secret in an exported root filesystem tar, without its value', async () => {
    const tarFile = path.join(dir, 'out.tar');
    fs.writeFileSync(tarFile, await makeTar([{ name: 'etc/token', content: TOKEN }]));

    const scan = scanOutput(`type=tar,dest=${tarFile}`, 'fail');

    await expect(scan).rejects.toThrow(LeakFoundError);
    await expect(scan).rejects.toThrow('the build result holds secret values (1 found)');
    expect(lines.join('\n')).toContain(`in output ${tarFile} at /etc/token`);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('passes a clean output, and warns about the outputs it did not scan', async () => {
    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'out', 'hello'), 'hello\n');
    const args = ['--load', '-o', `type=local,dest=${dir}/out`, '.'];

    await scanBuildResult(scanTarget(args, dir)!, SECRETS, 'warn', logger, {});

    expect(lines).toEqual([
      expect.stringMatching(/^ona-build: warn: --scan-leaks: the image loaded into the engine/),
      `ona-build: no leaks found in ${dir}/out (1 files, 0.0 MB)`,
    ]);
  });
});
