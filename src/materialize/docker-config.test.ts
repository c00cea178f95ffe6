import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Scope, Secret } from '../secrets/model.js';
import { DOCKER_HUB_KEY } from '../secrets/registry-host.js';
import { authEntry, mergeConfig, userDockerConfigDir, writeDockerConfig } from './docker-config.js';

const ORG: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };

function registry(host: string, username: string, value: string, kind?: 'identity'): Secret {
  return {
    name: `reg_${host.replace(/[^a-z0-9]/g, '_')}`,
    type: 'registry',
    scope: ORG,
    value: Buffer.from(value),
    registry: { host, username, ...(kind && { kind }) },
  };
}

function decode(auth: string | undefined): string {
  return Buffer.from(auth ?? '', 'base64').toString('utf8');
}

/** Splits a decoded `auth` the way the docker client does: on the first ':' only. */
function splitAuth(decoded: string): [string, string] {
  const colon = decoded.indexOf(':');
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

interface Helpers {
  readonly installed?: string[];
  readonly servers?: Record<string, string[]>;
}

function helpers({ installed = [], servers = {} }: Helpers = {}) {
  return {
    helperExists: (name: string) => installed.includes(name),
    listHelperServers: (name: string) => Promise.resolve(servers[name] ?? []),
  };
}

const HUB_TOKEN = `dckr_pat_${'Ab9_-'.repeat(41)}`;

describe('authEntry', () => {
  it('encodes user:token as one unwrapped base64 line for a 200+ character token', () => {
    const { auth, identitytoken } = authEntry(registry('docker.io', 'acme-ci', HUB_TOKEN));

    expect(HUB_TOKEN.length).toBeGreaterThan(200);
    expect(auth!.length).toBeGreaterThan(76);
    expect(auth).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decode(auth)).toBe(`acme-ci:${HUB_TOKEN}`);
    expect(identitytoken).toBeUndefined();
  });

  it('keeps every colon of the password, so decoding splits on the first one', () => {
    const { auth } = authEntry(registry('reg.example.com', 'ci', 'p:ss:word'));

    expect(splitAuth(decode(auth))).toEqual(['ci', 'p:ss:word']);
  });

  it.each([
    ['a trailing newline', 'token\n'],
    ['CRLF', 'tok\r\nen'],
    ['non-ASCII bytes', 'pässwörd'],
  ])('encodes the stored bytes exactly, with %s', (_label, password) => {
    const { auth } = authEntry(registry('reg.example.com', 'ci', password));

    expect(Buffer.from(auth!, 'base64')).toEqual(Buffer.from(`ci:${password}`));
  });

  it('writes an identity token as identitytoken, with only the user in auth', () => {
    const user = '00000000-0000-0000-0000-000000000000';
    const token = `eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(300)}`;
    const entry = authEntry(registry('myacr.azurecr.io', user, token, 'identity'));

    expect(entry.identitytoken).toBe(token);
    expect(decode(entry.auth)).toBe(`${user}:`);
    expect(Object.keys(entry).sort()).toEqual(['auth', 'identitytoken']);
  });
});

describe('mergeConfig', () => {
  it('drops credsStore and reports it when its helper is missing', async () => {
    const { config, droppedHelpers } = await mergeConfig(
      { auths: {}, credsStore: 'desktop' },
      [registry('localhost:5000', 'ci', 'fake-pass')],
      helpers(),
    );

    expect(config).not.toHaveProperty('credsStore');
    expect(config).not.toHaveProperty('credHelpers');
    expect(droppedHelpers).toEqual([{ helper: 'desktop', registry: '*' }]);
    expect(Object.keys(config.auths!)).toEqual(['localhost:5000']);
  });

  it('turns an installed credsStore into credHelpers, except for managed servers', async () => {
    const { config, droppedHelpers } = await mergeConfig(
      { credsStore: 'pass' },
      [registry('localhost:5000', 'ci', 'fake-pass')],
      helpers({ installed: ['pass'], servers: { pass: ['ghcr.io', 'localhost:5000'] } }),
    );

    expect(config).not.toHaveProperty('credsStore');
    expect(config.credHelpers).toEqual({ 'ghcr.io': 'pass' });
    expect(droppedHelpers).toEqual([]);
  });

  it('keeps credHelpers whose binary exists and drops (and reports) missing ones', async () => {
    const { config, droppedHelpers } = await mergeConfig(
      {
        auths: {},
        credsStore: 'desktop',
        credHelpers: { '*.dkr.ecr.*.amazonaws.com': 'ecr-login', 'gcr.io': 'gcloud' },
      },
      [registry('localhost:5000', 'ci', 'fake-pass')],
      helpers({ installed: ['gcloud'] }),
    );

    expect(config.credHelpers).toEqual({ 'gcr.io': 'gcloud' });
    expect(droppedHelpers).toEqual([
      { helper: 'desktop', registry: '*' },
      { helper: 'ecr-login', registry: '*.dkr.ecr.*.amazonaws.com' },
    ]);
  });

  it('lets a managed registry win over a credHelper for it', async () => {
    const { config } = await mergeConfig(
      { credHelpers: { 'ghcr.io': 'gh', 'gcr.io': 'gcloud' } },
      [registry('ghcr.io', 'ci', 'fake-pass')],
      helpers({ installed: ['gh', 'gcloud'] }),
    );

    expect(config.credHelpers).toEqual({ 'gcr.io': 'gcloud' });
    expect(decode(config.auths!['ghcr.io'].auth)).toBe('ci:fake-pass');
  });

  it("lets a managed registry win over the user's own auth for it", async () => {
    const { config } = await mergeConfig(
      { auths: { [DOCKER_HUB_KEY]: { auth: Buffer.from('me:old').toString('base64') } } },
      [registry(DOCKER_HUB_KEY, 'acme-ci', HUB_TOKEN)],
      helpers(),
    );

    expect(Object.keys(config.auths!)).toEqual([DOCKER_HUB_KEY]);
    expect(decode(config.auths![DOCKER_HUB_KEY].auth)).toBe(`acme-ci:${HUB_TOKEN}`);
  });

  it("keeps the user's other keys and auths for other registries", async () => {
    const quay = { auth: Buffer.from('me:quay').toString('base64') };
    const user = {
      auths: { 'quay.io': quay },
      currentContext: 'ci-remote',
      proxies: { default: { httpProxy: 'http://proxy:3128' } },
      psFormat: 'table {{.ID}}',
      credsStore: 'desktop',
    };

    const { config } = await mergeConfig(user, [registry('localhost:5000', 'ci', 'x')], helpers());

    expect(config.currentContext).toBe('ci-remote');
    expect(config.proxies).toEqual(user.proxies);
    expect(config.psFormat).toBe('table {{.ID}}');
    expect(config.auths!['quay.io']).toEqual(quay);
    expect(Object.keys(config.auths!).sort()).toEqual(['localhost:5000', 'quay.io']);
  });

  it('has one Hub entry (index.docker.io/v1/), apart from registry.hub.docker.com', async () => {
    const { config } = await mergeConfig(
      {},
      [
        registry(DOCKER_HUB_KEY, 'acme-ci', HUB_TOKEN),
        registry('registry.hub.docker.com', 'x', 'y'),
      ],
      helpers(),
    );

    expect(Object.keys(config.auths!).sort()).toEqual([DOCKER_HUB_KEY, 'registry.hub.docker.com']);
  });

  it('does not modify the user config it was given', async () => {
    const user = { auths: {}, credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' } };
    const copy = structuredClone(user);

    await mergeConfig(user, [registry('gcr.io', 'ci', 'x')], helpers({ installed: ['gcloud'] }));

    expect(user).toEqual(copy);
  });
});

describe('userDockerConfigDir', () => {
  it.each([
    [{ DOCKER_CONFIG: '/etc/docker-ci', HOME: '/home/ana' }, '/etc/docker-ci'],
    [{ HOME: '/home/ana' }, '/home/ana/.docker'],
    [{ DOCKER_CONFIG: '', HOME: '/home/ana' }, '/home/ana/.docker'],
  ])('finds the config dir for %o at %s', (env, expected) => {
    expect(userDockerConfigDir(env)).toBe(expected);
  });

  it('resolves a relative DOCKER_CONFIG against the current directory, as docker does', () => {
    expect(userDockerConfigDir({ DOCKER_CONFIG: 'dc' })).toBe(path.join(process.cwd(), 'dc'));
  });
});

describe('writeDockerConfig', () => {
  let userDir: string;
  let runDir: string;

  beforeEach(() => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-config-test-user-'));
    runDir = fs.mkdtempSync(path.join('/dev/shm', 'docker-config-test-run-'));
    for (const sub of ['cli-plugins', 'contexts', 'buildx']) fs.mkdirSync(path.join(userDir, sub));
    fs.writeFileSync(path.join(userDir, 'cli-plugins', 'docker-buildx'), '#!/bin/sh\n');
    fs.writeFileSync(
      path.join(userDir, 'config.json'),
      JSON.stringify({
        currentContext: 'ci-remote',
        credsStore: 'desktop',
        auths: { 'quay.io': { auth: 'bWU6cXVheQ==' } },
      }),
    );
  });

  afterEach(() => {
    fs.rmSync(userDir, { recursive: true, force: true });
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  const options = (env: NodeJS.ProcessEnv) => ({ env, ...helpers() });

  it('writes a private config.json inside the run dir with the merged config', async () => {
    const result = await writeDockerConfig(
      runDir,
      [registry('localhost:5000', 'ci', 'fake-pass')],
      options({ DOCKER_CONFIG: userDir }),
    );

    const file = path.join(result.dir, 'config.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

    expect(result.dir).toBe(path.join(runDir, 'docker-config'));
    expect(fs.statSync(result.dir).mode & 0o777).toBe(0o700);
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(config).toEqual({
      currentContext: 'ci-remote',
      auths: {
        'quay.io': { auth: 'bWU6cXVheQ==' },
        'localhost:5000': { auth: Buffer.from('ci:fake-pass').toString('base64') },
      },
    });
    expect(result.managed).toEqual(['localhost:5000']);
    expect(result.droppedHelpers).toEqual([{ helper: 'desktop', registry: '*' }]);
  });

  it.each(['cli-plugins', 'contexts', 'buildx'])(
    "links %s from the user's config dir",
    async (name) => {
      const { dir } = await writeDockerConfig(runDir, [], options({ DOCKER_CONFIG: userDir }));

      expect(fs.lstatSync(path.join(dir, name)).isSymbolicLink()).toBe(true);
      expect(fs.readlinkSync(path.join(dir, name))).toBe(path.join(userDir, name));
    },
  );

  it('links from a relative DOCKER_CONFIG without leaving a dangling link', async () => {
    const relative = path.relative(process.cwd(), userDir);
    const { dir } = await writeDockerConfig(runDir, [], options({ DOCKER_CONFIG: relative }));

    expect(fs.readlinkSync(path.join(dir, 'cli-plugins'))).toBe(path.join(userDir, 'cli-plugins'));
    expect(fs.existsSync(path.join(dir, 'cli-plugins', 'docker-buildx'))).toBe(true);
  });

  it('finds buildx through the linked cli-plugins', async () => {
    const { dir } = await writeDockerConfig(runDir, [], options({ DOCKER_CONFIG: userDir }));

    expect(fs.readFileSync(path.join(dir, 'cli-plugins', 'docker-buildx'), 'utf8')).toBe(
      '#!/bin/sh\n',
    );
  });

  it("never links or changes the user's config.json", async () => {
    const before = fs.readFileSync(path.join(userDir, 'config.json'), 'utf8');
    fs.writeFileSync(path.join(userDir, 'config.json.bak'), '{}');

    const { dir } = await writeDockerConfig(
      runDir,
      [registry('quay.io', 'ci', 'x')],
      options({ DOCKER_CONFIG: userDir }),
    );

    expect(fs.lstatSync(path.join(dir, 'config.json')).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(dir, 'config.json.bak'))).toBe(false);
    expect(fs.readFileSync(path.join(userDir, 'config.json'), 'utf8')).toBe(before);
  });

  it('finds the user dir under HOME when DOCKER_CONFIG is unset', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-config-test-home-'));
    try {
      fs.symlinkSync(userDir, path.join(home, '.docker'));

      const { dir } = await writeDockerConfig(runDir, [], options({ HOME: home }));
      const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as object;

      expect(config).toHaveProperty('currentContext', 'ci-remote');
      expect(fs.lstatSync(path.join(dir, 'contexts')).isSymbolicLink()).toBe(true);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it.each([
    ['a missing user dir', (dir: string) => fs.rmSync(dir, { recursive: true })],
    [
      'an unreadable config.json',
      (dir: string) => fs.writeFileSync(path.join(dir, 'config.json'), '{ nope'),
    ],
  ])('writes only the managed credentials with %s', async (_label, spoil) => {
    spoil(userDir);

    const { dir } = await writeDockerConfig(
      runDir,
      [registry('localhost:5000', 'ci', 'fake-pass')],
      options({ DOCKER_CONFIG: userDir }),
    );
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as object;

    expect(config).toEqual({
      auths: { 'localhost:5000': { auth: Buffer.from('ci:fake-pass').toString('base64') } },
    });
  });
});
