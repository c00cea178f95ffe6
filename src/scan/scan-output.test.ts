import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Scope } from '../secrets/model.js';
import { chunked, makeTar } from './__fixtures__/exports.js';
import { formatReport } from './format.js';
import { scanDirectory, scanFilesystemTar } from './scan-output.js';
import type { ScanReport, ScanSecret } from './types.js';
import { expectNoValues } from './__fixtures__/no-values.js';

const PROJECT: Scope = { kind: 'project', org: 'acme', owner: 'web' };
const ORG: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };

const TOKEN = 'tok-5d1e8c07b2a4';
const API = 'ak_live_51f0c2';
const SECRETS: ScanSecret[] = [
  { name: 'short_token', scope: PROJECT, value: Buffer.from(TOKEN) },
  { name: 'api_key', scope: ORG, value: Buffer.from(`${API}\n`) },
];

const places = (report: ScanReport) =>
  report.findings.map(({ secret, form, path: file, field }) => [secret, form, file, field]);

describe('scanDirectory', () => {
  let dir: string;
  let outside: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-scan-dir-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-scan-outside-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const write = (name: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  };

  it('names the secret, its scope, the output and the file of each copy', async () => {
    write('token', TOKEN);
    write('etc/app/app.env', `KEY=${API}\n`);
    write('etc/app/token.b64', `${Buffer.from(TOKEN).toString('base64')}\n`);

    const report = await scanDirectory(dir, SECRETS);

    expect(report.findings).toEqual([
      {
        secret: 'api_key',
        scope: 'organization acme',
        form: 'exact',
        source: 'file',
        layer: dir,
        path: '/etc/app/app.env',
      },
      expect.objectContaining({
        secret: 'short_token',
        form: 'base64',
        path: '/etc/app/token.b64',
      }),
      expect.objectContaining({ secret: 'short_token', form: 'exact', path: '/token' }),
    ]);
    expect(report.output).toBe(dir);
    expect(report.stats).toMatchObject({ layers: 0, files: 3 });
    expect(formatReport(report)[2]).toBe(
      `leak: short_token (project acme/web) as exact in output ${dir} at /token`,
    );
    expectNoValues(report, SECRETS);
  });

  it('searches link targets but never follows a link out of the directory', async () => {
    fs.writeFileSync(path.join(outside, 'held'), TOKEN);
    fs.symlinkSync(path.join(outside, 'held'), path.join(dir, 'to-file'));
    fs.symlinkSync(outside, path.join(dir, 'to-dir'));
    fs.symlinkSync(`/run/${API}`, path.join(dir, 'named'));

    const report = await scanDirectory(dir, SECRETS);

    expect(places(report)).toEqual([['api_key', 'exact', '/named', 'linkname']]);
    expect(report.stats.files).toBe(0);
    expectNoValues(report, SECRETS);
  });

  it('shows a secret in a file name as ***, and skips empty files and FIFOs', async () => {
    write(`cache/${TOKEN}`, 'nothing secret');
    write('run/secrets/short_token', '');
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);

    const report = await scanDirectory(dir, SECRETS);

    expect(places(report)).toEqual([['short_token', 'exact', '/cache/***', 'name']]);
    expect(report.stats.files).toBe(1);
    expectNoValues(report, SECRETS);
  });

  it('reads a file with several hard links once, at its first path', async () => {
    write('a/token', TOKEN);
    fs.linkSync(path.join(dir, 'a/token'), path.join(dir, 'b'));

    const report = await scanDirectory(dir, SECRETS);

    expect(places(report)).toEqual([['short_token', 'exact', '/a/token', undefined]]);
    expect(report.stats.files).toBe(1);
  });

  it('passes a clean directory and says what it scanned', async () => {
    write('hashes', 'e3b0c44298fc1c149afbf4c8996fb924  /run/secrets/short_token\n');

    const report = await scanDirectory(dir, SECRETS);

    expect(report.findings).toEqual([]);
    expect(formatReport(report)).toEqual([`no leaks found in ${dir} (1 files, 0.0 MB)`]);
  });

  it.skipIf(process.getuid?.() === 0)('reports a file it cannot read as not scanned', async () => {
    write('locked', TOKEN);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);

    const report = await scanDirectory(dir, SECRETS);

    expect(report.unscanned).toEqual([
      { layer: `${dir}/locked`, reason: 'cannot be read (EACCES)' },
    ]);
  });

  it('fails with a scan error when the directory is not there', async () => {
    const scan = scanDirectory(path.join(dir, 'missing'), SECRETS);

    await expect(scan).rejects.toMatchObject({ code: 'SCAN_READ', exitCode: 1 });
    await expect(scan).rejects.toThrow(/cannot read the build output .*missing: ENOENT$/);
  });
});

describe('scanFilesystemTar', () => {
  it('reports each file of a root filesystem tar by its path, whiteout-like names too', async () => {
    const archive = await makeTar([
      { name: './', type: 'directory' },
      { name: './token', content: TOKEN },
      { name: './etc/', type: 'directory' },
      { name: './etc/.wh.app.env', content: `KEY=${API}\n` },
      { name: './etc/link', type: 'symlink', linkname: `/run/${TOKEN}` },
      { name: './run/secrets/api_key', content: '' },
    ]);

    const report = await scanFilesystemTar(chunked(archive, 100), SECRETS, '/out/fs.tar');

    expect(report.findings[0]).toEqual({
      secret: 'short_token',
      scope: 'project acme/web',
      form: 'exact',
      source: 'file',
      layer: '/out/fs.tar',
      path: '/token',
    });
    expect(places(report)).toEqual([
      ['short_token', 'exact', '/token', undefined],
      ['api_key', 'exact', '/etc/.wh.app.env', undefined],
      ['short_token', 'exact', '/etc/link', 'linkname'],
    ]);
    expect(report).toMatchObject({ output: '/out/fs.tar', stats: { layers: 0, files: 2 } });
    expect(formatReport(report).at(-1)).toBe('3 leaks found in /out/fs.tar (2 files, 0.0 MB)');
    expectNoValues(report, SECRETS);
  });

  it('fails with a scan error on a truncated tar', async () => {
    const archive = await makeTar([{ name: 'token', content: TOKEN.repeat(100) }]);
    const scan = scanFilesystemTar(chunked(archive.subarray(0, 700)), SECRETS, 'fs.tar');

    await expect(scan).rejects.toMatchObject({ code: 'SCAN_READ' });
    await expect(scan).rejects.toThrow(/^cannot read the build output fs\.tar: /);
  });
});
