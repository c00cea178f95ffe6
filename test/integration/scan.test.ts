// The leak scan on images built by plain `docker buildx build` on the real engine. A fixture that
// copies, echoes and encodes mounted secrets and takes one as a build arg (C11, C12) is caught
// leak by leak, with the file and layer; one that only hashes them comes out clean.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

import Docker from 'dockerode';
import { execa } from 'execa';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ociLayout } from '../../src/scan/__fixtures__/exports.js';
import {
  formatReport,
  scanImage,
  scanTarStream,
  secretForms,
  type ScanReport,
  type ScanSecret,
} from '../../src/scan/index.js';
import type { Scope } from '../../src/secrets/model.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { registryCredentials, requireEngine } from '../helpers/engine.js';
import { removeImage } from '../helpers/images.js';

const PROJECT: Scope = { kind: 'project', org: 'acme', owner: 'web' };
const ORG: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

// Fresh values every run, so no layer can come from an earlier run's cache.
const SECRETS: ScanSecret[] = [
  { name: 'db_password', scope: PROJECT, value: Buffer.from(`pw-${hex(6)}`) },
  // `$(cat ...)` drops the trailing newline: the scan must still find the rest.
  { name: 'api_key', scope: ORG, value: Buffer.from(`ak_live_${hex(6)}\n`) },
  { name: 'signing_key', scope: PROJECT, value: randomBytes(40) },
  { name: 'registry', scope: ORG, value: Buffer.from(`reg-${hex(8)}`), registryUser: 'ci' },
  // Only its token is cut out into the image, not the whole file.
  {
    name: 'npmrc',
    scope: PROJECT,
    value: Buffer.from(
      `//localhost:4873/:_authToken=npm_${hex(8)}\nregistry=http://localhost:4873/\n`,
    ),
  },
  { name: 'TOKEN', scope: ORG, value: Buffer.from(`tok_${hex(10)}`) },
];
const MOUNTED = ['db_password', 'api_key', 'signing_key', 'registry', 'npmrc'];
const TOKEN = SECRETS.find(({ name }) => name === 'TOKEN')!.value.toString();

// What scan-leaky leaves in its layers, in build order: secret, form, file.
const LEAKS = [
  ['db_password', 'exact', '/secrets/db_password'],
  ['api_key', 'exact', '/app.env'],
  ['signing_key', 'base64', '/signing.b64'],
  ['registry', 'base64-auth', '/auth.b64'],
  ['npmrc', 'field', '/npm.token'],
];

describe.runIf(requireEngine())('leak scan of images built with secrets (C11, C12)', () => {
  const docker = new Docker();
  const run = `${Date.now()}-${process.pid}`;
  const tags = { leaky: `ona-it-scan-leaky:${run}`, clean: `ona-it-scan-clean:${run}` };
  let workspace: Workspace;

  beforeAll(async () => {
    workspace = createWorkspace();
    await buildFixture(workspace, 'scan-leaky', tags.leaky, ['--build-arg', `TOKEN=${TOKEN}`]);
    await buildFixture(workspace, 'scan-clean', tags.clean);
  });

  afterAll(async () => {
    for (const tag of Object.values(tags)) await removeImage(tag);
    workspace?.remove();
  });

  it('finds each leak by secret, form, file and layer, and the build arg in history', async () => {
    const report = await scanImage({ image: tags.leaky, secrets: SECRETS, docker });
    const { Id, RootFS } = await docker.getImage(tags.leaky).inspect();

    expect(layerFindings(report)).toEqual(LEAKS);
    for (const finding of report.findings.filter(({ source }) => source === 'layer')) {
      expect(RootFS.Layers).toContain(finding.layer);
    }
    expect(report.findings.filter(({ source }) => source !== 'layer')).toEqual([
      expect.objectContaining({
        secret: 'TOKEN',
        scope: 'organization acme',
        form: 'exact',
        source: 'config',
        layer: Id,
        field: expect.stringMatching(/^history\[\d+\]\.created_by$/) as string,
      }),
    ]);
    expectNoValues(report);
  });

  it('finds nothing in an image whose steps only hash the secrets', async () => {
    const report = await scanImage({ image: tags.clean, secrets: SECRETS, docker });

    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.unscanned).toEqual([]);
    expect(report.stats.files).toBeGreaterThan(0);
  });

  it('fails clearly for an image that is not in the engine', async () => {
    const scan = scanImage({ image: `ona-it-scan-missing:${run}`, secrets: SECRETS, docker });

    await expect(scan).rejects.toMatchObject({ code: 'SCAN_NO_IMAGE' });
  });

  it('finds the same leaks in an OCI layout file (gzip layers) with scanTarStream', async () => {
    const file = path.join(workspace.dir, 'image-oci.tar');
    fs.writeFileSync(file, await ociLayoutOf(docker, tags.leaky));

    const report = await scanTarStream(fs.createReadStream(file), SECRETS);

    expect(layerFindings(report)).toEqual(LEAKS);
    expect(report.findings.every(({ layer }) => layer.startsWith('sha256:'))).toBe(true);
    expectNoValues(report);
  });

  // These builds run on the engine's own BuildKit (the docker driver), which has an OCI exporter
  // only with the containerd image store; the test above covers the same layout without it.
  it.runIf(engineExportsOci())('scans what `--output type=oci,dest=<file>` wrote', async () => {
    const file = path.join(workspace.dir, 'buildx-oci.tar');
    const output = ['--output', `type=oci,dest=${file}`];
    const build = await runBuild(workspace, 'scan-leaky', [
      '--build-arg',
      `TOKEN=${TOKEN}`,
      ...output,
    ]);
    expect(build.exitCode, build.all).toBe(0);

    const report = await scanTarStream(fs.createReadStream(file), SECRETS);

    expect(layerFindings(report)).toEqual(LEAKS);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ secret: 'TOKEN', source: 'config' }),
    );
    expectNoValues(report);
  });
});

function engineExportsOci(): boolean {
  try {
    const format = ['info', '--format', '{{json .DriverStatus}}'];
    const status = execFileSync('docker', format, { encoding: 'utf8', timeout: 20_000 });
    return status.includes('io.containerd.snapshotter');
  } catch {
    return false;
  }
}

function layerFindings(report: ScanReport): [string, string, string | undefined][] {
  return report.findings
    .filter(({ source }) => source === 'layer')
    .map(({ secret, form, path: file }) => [secret, form, file]);
}

/** Neither the report nor its text may hold a value or any encoded form of one. */
function expectNoValues(report: ScanReport): void {
  const output = Buffer.from(JSON.stringify(report) + formatReport(report).join('\n'));

  for (const secret of SECRETS) {
    for (const { form, bytes } of secretForms(secret.value, secret.registryUser)) {
      expect(output.includes(bytes), `${secret.name} as ${form} in the report`).toBe(false);
    }
  }
}

interface Workspace {
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly secretArgs: string[];
  remove(): void;
}

/** Secret files and a docker config with the loopback registry's auth, on tmpfs, mode 0700. */
function createWorkspace(): Workspace {
  const dir = fs.mkdtempSync('/dev/shm/ona-it-scan-');
  fs.chmodSync(dir, 0o700);
  const secretArgs = MOUNTED.flatMap((name) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, SECRETS.find((secret) => secret.name === name)!.value, { mode: 0o600 });
    return ['--secret', `id=${name},src=${file}`];
  });

  const registry = registryCredentials();
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  const config = path.join(dir, 'docker');
  fs.mkdirSync(config, { mode: 0o700 });
  fs.writeFileSync(
    path.join(config, 'config.json'),
    JSON.stringify({ auths: { [registry.host]: { auth } } }),
    { mode: 0o600 },
  );

  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: config };
  return { dir, env, secretArgs, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function buildFixture(
  workspace: Workspace,
  fixture: string,
  tag: string,
  extra: string[] = [],
) {
  const build = await runBuild(workspace, fixture, ['-t', tag, ...extra]);
  if (build.exitCode !== 0) throw new Error(`building ${fixture} failed:\n${build.all}`);
}

/** `docker buildx build` of a fixture, every step run afresh (a nonce build arg), no network. */
async function runBuild(workspace: Workspace, fixture: string, extra: string[]) {
  return execa(
    'docker',
    [
      'buildx',
      'build',
      '--network=none',
      '--progress=plain',
      ...workspace.secretArgs,
      '--build-arg',
      `NONCE=${Date.now()}-${Math.random()}`,
      ...extra,
      path.join(REPO_ROOT, 'fixtures', fixture),
    ],
    { env: workspace.env, extendEnv: false, reject: false, all: true },
  );
}

/** The image as buildx's OCI exporter lays it out: gzip layers and the config as blobs. */
async function ociLayoutOf(docker: Docker, image: string): Promise<Buffer> {
  const files = await readTar((await docker.getImage(image).get()) as unknown as Readable);
  const [manifest] = JSON.parse(files.get('manifest.json')!.toString()) as {
    Config: string;
    Layers: string[];
  }[];
  const config = JSON.parse(files.get(manifest.Config)!.toString()) as Record<string, unknown>;

  return ociLayout({ layers: manifest.Layers.map((layer) => files.get(layer)!), config });
}

async function readTar(stream: Readable): Promise<Map<string, Buffer>> {
  const extract = tar.extract();
  const files = new Map<string, Buffer>();
  stream.pipe(extract);

  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    files.set(entry.header.name, Buffer.concat(chunks));
  }
  return files;
}
