import { gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { OnaBuildError } from '../errors.js';
import type { Scope } from '../secrets/model.js';
import {
  chunked,
  dockerArchive,
  makeTar,
  ociLayout,
  sha256,
  type TarFile,
} from './__fixtures__/exports.js';
import { scanTarStream } from './scan-tar.js';
import type { ScanSecret } from './types.js';
import { expectNoValues } from './__fixtures__/no-values.js';

const PROJECT: Scope = { kind: 'project', org: 'acme', owner: 'web' };
const ORG: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };

const DB = 'pw-7f3c9a1e';
const API = 'ak_live_51f0c2';
const SECRETS: ScanSecret[] = [
  { name: 'db_password', scope: PROJECT, value: Buffer.from(DB) },
  { name: 'api_key', scope: ORG, value: Buffer.from(`${API}\n`) },
  { name: 'registry', scope: ORG, value: Buffer.from('reg-pass-0042'), registryUser: 'ci' },
  { name: 'db_pass', scope: ORG, value: Buffer.from('p@ss:w0rd/é') },
];

async function scanArchive(files: TarFile[], config?: Record<string, unknown>) {
  const layer = await makeTar(files);
  const archive = await dockerArchive({ layers: [layer], config });
  return { layer, report: await scanTarStream(chunked(archive), SECRETS) };
}

describe('scanTarStream', () => {
  it('names the secret, its scope, the layer and the file of a copied secret (C11)', async () => {
    const { layer, report } = await scanArchive([
      { name: 'secrets/', type: 'directory' },
      { name: 'secrets/db_password', content: DB },
      { name: 'app.env', content: `KEY=${API}\n` },
    ]);

    expect(report.findings).toEqual([
      {
        secret: 'db_password',
        scope: 'project acme/web',
        form: 'exact',
        source: 'layer',
        layer: sha256(layer),
        path: '/secrets/db_password',
      },
      {
        secret: 'api_key',
        scope: 'organization acme',
        form: 'exact',
        source: 'layer',
        layer: sha256(layer),
        path: '/app.env',
      },
    ]);
    expectNoValues(report, SECRETS);
  });

  it('reports encoded copies by form: base64, docker auth, URL, hex', async () => {
    const auth = Buffer.from('ci:reg-pass-0042').toString('base64');
    const { report } = await scanArchive([
      { name: 'deep/nested/dir/token.b64', content: `${Buffer.from(DB).toString('base64')}\n` },
      { name: 'root/.docker/config.json', content: `{"auths":{"r":{"auth":"${auth}"}}}` },
      { name: 'etc/db.url', content: `postgres://u:${encodeURIComponent('p@ss:w0rd/é')}@h/db` },
      { name: 'dump.hex', content: Buffer.from(API).toString('hex') },
    ]);

    expect(report.findings.map(({ secret, form, path }) => [secret, form, path])).toEqual([
      ['db_password', 'base64', '/deep/nested/dir/token.b64'],
      ['registry', 'base64-auth', '/root/.docker/config.json'],
      ['db_pass', 'url', '/etc/db.url'],
      ['api_key', 'hex', '/dump.hex'],
    ]);
    expectNoValues(report, SECRETS);
  });

  it('does not report empty mount stubs or whiteouts, but does report a deleted copy', async () => {
    const lower = await makeTar([{ name: 'tmp/copy', content: DB }]);
    const upper = await makeTar([
      { name: 'run/secrets/db_password', content: '' },
      { name: 'tmp/.wh.copy', content: '' },
      { name: `tmp/.wh.${DB}`, content: '' },
    ]);
    const archive = await dockerArchive({ layers: [lower, upper] });

    const report = await scanTarStream(chunked(archive), SECRETS);

    expect(report.findings.map(({ layer, path }) => [layer, path])).toEqual([
      [sha256(lower), '/tmp/copy'],
    ]);
  });

  it('finds secrets in the config: env, labels and build args in history (C12)', async () => {
    const { report } = await scanArchive([{ name: 'empty', content: 'nothing' }], {
      config: { Env: ['PATH=/bin', `API_KEY=${API}`], Labels: { 'org.example.pw': DB } },
      history: [
        { created_by: 'ADD rootfs /' },
        { created_by: `RUN |1 TOKEN=${DB} /bin/sh -c make` },
      ],
    });
    const inConfig = report.findings.filter((finding) => finding.source === 'config');

    expect(inConfig.map(({ secret, field }) => [secret, field])).toEqual([
      ['api_key', 'config.Env[1]'],
      ['db_password', 'config.Labels["org.example.pw"]'],
      ['db_password', 'history[1].created_by'],
    ]);
    expectNoValues(report, SECRETS);
  });

  it('shows a secret in a file name or JSON member name as ***', async () => {
    const { report } = await scanArchive(
      [
        { name: `tmp/${DB}.txt`, content: 'x' },
        { name: 'link', type: 'symlink', linkname: DB },
      ],
      { config: { Labels: { [DB]: 'x' } } },
    );

    expect(report.findings.map(({ path, field }) => [path, field])).toEqual([
      ['/tmp/***.txt', 'name'],
      ['/link', 'linkname'],
      [undefined, 'config.Labels["***"] (name)'],
    ]);
    expectNoValues(report, SECRETS);
  });

  it('walks gzip layers of an OCI layout, named by blob digest', async () => {
    const layer = await makeTar([{ name: 'app/settings.json', content: `{"pw":"${DB}"}` }]);
    const layout = await ociLayout({ layers: [layer], config: { history: [] } });

    const report = await scanTarStream(chunked(layout, 1000), SECRETS);

    expect(report.findings).toEqual([
      expect.objectContaining({ path: '/app/settings.json', layer: sha256(gzipSync(layer)) }),
    ]);
    expect(report.stats).toMatchObject({ layers: 1, files: 1 });
  });

  it("reads docker's empty layer, 1024 zero bytes", async () => {
    const layer = await makeTar([{ name: 'etc/app.conf', content: `pw=${DB}` }]);
    const archive = await dockerArchive({ layers: [Buffer.alloc(1024), layer] });

    const report = await scanTarStream(chunked(archive), SECRETS);

    expect(report.findings.map(({ path }) => path)).toEqual(['/etc/app.conf']);
    expect(report.stats.layers).toBe(2);
  });

  it('finds the same secrets however the export is chunked', async () => {
    const layer = await makeTar([
      { name: 'a', content: `${'x'.repeat(700)}${DB}` },
      { name: 'b', content: `${API}${'y'.repeat(300)}` },
    ]);
    const archive = await dockerArchive({ layers: [layer] });

    for (const size of [1, 7, 511, 512, 513, 4096]) {
      const report = await scanTarStream(chunked(archive, size), SECRETS);
      expect(
        report.findings.map(({ path }) => path),
        `chunks of ${size}`,
      ).toEqual(['/a', '/b']);
    }
  });

  it('lists secrets too short to scan for, and layers it cannot read', async () => {
    const zstd = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
    const archive = await makeTar([{ name: 'blobs/sha256/' + 'a'.repeat(64), content: zstd }]);
    const secrets = [...SECRETS, { name: 'region', scope: PROJECT, value: Buffer.from('eu') }];

    const report = await scanTarStream(chunked(archive), secrets);

    expect(report.skipped).toEqual([
      { secret: 'region', scope: 'project acme/web', reason: 'too-short' },
    ]);
    expect(report.unscanned).toEqual([
      { layer: `sha256:${'a'.repeat(64)}`, reason: expect.stringContaining('zstd') as string },
    ]);
  });

  it('fails with a scan error on a truncated export', async () => {
    const archive = await dockerArchive({ layers: [await makeTar([{ name: 'a', content: DB }])] });

    const scan = scanTarStream(chunked(archive.subarray(0, 1500)), SECRETS);

    await expect(scan).rejects.toThrow(OnaBuildError);
    await expect(scan).rejects.toMatchObject({ code: 'SCAN_READ' });
  });
});
