import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { SecretError, UsageError } from '../errors.js';
import type { Scope, Secret } from '../secrets/model.js';
import type { Builder } from './builder.js';
import { readPassthrough } from './passthrough.js';
import { planBuild, secretSpec, type PlanOptions } from './plan.js';

const CANARY = 'CANARY-pw-7f3c9a1e';
const RUN_DIR = '/dev/shm/ona-build-4242-AbC123';
const BUILDX: Builder = { docker: '/usr/bin/docker', kind: 'buildx' };
const CLASSIC: Builder = { docker: '/usr/bin/docker', kind: 'classic' };
const ORG: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };
const PROJECT: Scope = { kind: 'project', org: 'acme', owner: 'web' };

function secret(name: string, fields: Partial<Secret> = {}): Secret {
  return {
    name,
    type: 'env',
    scope: PROJECT,
    value: Buffer.from(`${CANARY}-${name}`),
    ...fields,
  };
}

const SECRETS: Secret[] = [
  secret('.npmrc', { type: 'file', mount: '/root/.npmrc' }),
  secret('NPM_TOKEN', { scope: ORG }),
  secret('app_config', {
    value: Buffer.from(`{"db":"postgres://u:p@h/db?a=1,b=2","c":"${CANARY}"}`),
  }),
  secret('hub', {
    type: 'registry',
    scope: ORG,
    registry: { host: 'https://index.docker.io/v1/', username: 'acme-ci' },
  }),
  secret('npm_token'),
  secret('pip.conf', { type: 'file', scope: ORG, mount: '/etc/pip/pip.conf' }),
  secret('sentry_api', { type: 'api-only' }),
];

function plan(fields: Partial<PlanOptions> = {}) {
  const passthrough = fields.passthrough ?? ['-t', 'app:1', '--load', '.'];
  return planBuild({
    builder: BUILDX,
    runDir: RUN_DIR,
    secrets: SECRETS,
    passthrough,
    info: readPassthrough(passthrough),
    ...fields,
  });
}

/** The `--secret` values in an argv. */
function secretArgs(argv: readonly string[]): string[] {
  return argv.flatMap((arg, i) => (argv[i - 1] === '--secret' ? [arg] : []));
}

describe('secretSpec', () => {
  it.each([
    ['.npmrc', '/dev/shm/r/secrets/0', 'id=.npmrc,src=/dev/shm/r/secrets/0'],
    ['pip.conf', '/run/user/1000/r/secrets/1', 'id=pip.conf,src=/run/user/1000/r/secrets/1'],
    ['NPM_TOKEN', '/x/2', 'id=NPM_TOKEN,src=/x/2'],
    ['npm_token', '/x/3', 'id=npm_token,src=/x/3'],
    ['aws.credentials', '/x/4', 'id=aws.credentials,src=/x/4'],
    ['pip-conf', '/x/5', 'id=pip-conf,src=/x/5'],
  ])('writes %s byte for byte with an explicit src', (id, file, expected) => {
    expect(secretSpec({ id, file })).toBe(expected);
  });

  it.each(['a,b', 'a"b', 'a=b', 'a\nb', ''])(
    'refuses the id %j rather than emit a broken spec',
    (id) => {
      expect(() => secretSpec({ id, file: '/x/0' })).toThrow(SecretError);
    },
  );

  it.each(['/tmp/a,b/0', '/tmp/a"b/0', '/tmp/a\nb/0', '/tmp/a\rb/0'])(
    'refuses the file path %j that would break the CSV',
    (file) => {
      expect(() => secretSpec({ id: 'tok', file })).toThrow(/not CSV-safe/);
    },
  );
});

describe('planBuild', () => {
  it('mounts env and file secrets only, in the order given', () => {
    expect(plan().secrets.map((s) => [s.id, s.type])).toEqual([
      ['.npmrc', 'file'],
      ['NPM_TOKEN', 'env'],
      ['app_config', 'env'],
      ['npm_token', 'env'],
      ['pip.conf', 'file'],
    ]);
  });

  it('gives every mounted secret its own file inside the run directory', () => {
    const files = plan().secrets.map((s) => s.file);

    expect(new Set(files).size).toBe(files.length);
    for (const file of files) {
      expect(path.dirname(file)).toBe(path.join(RUN_DIR, 'secrets'));
    }
  });

  it('records sizes, not values', () => {
    const planned = plan().secrets.find((s) => s.id === 'NPM_TOKEN');

    expect(planned?.bytes).toBe(Buffer.byteLength(`${CANARY}-NPM_TOKEN`));
    expect(planned?.scope).toEqual(ORG);
  });

  it('passes every id as id=<id>,src=<file>, never bare and never env=', () => {
    const { argv, secrets } = plan();
    const specs = secretArgs(argv);

    expect(specs).toEqual(secrets.map((s) => `id=${s.id},src=${s.file}`));
    for (const spec of specs) {
      expect(spec).toMatch(/^id=[^,"=\n]+,src=\/[^,"\n]+$/);
      expect(spec).not.toContain('env=');
    }
  });

  it('keeps dotted ids and both spellings of npm_token distinct', () => {
    const ids = secretArgs(plan().argv).map((spec) => spec.split(',')[0]);

    expect(ids).toEqual(expect.arrayContaining(['id=.npmrc', 'id=pip.conf']));
    expect(ids).toEqual(expect.arrayContaining(['id=NPM_TOKEN', 'id=npm_token']));
  });

  it('does not mount registry or api-only secrets', () => {
    const argv = plan().argv.join(' ');

    expect(argv).not.toMatch(/id=hub\b/);
    expect(argv).not.toContain('sentry_api');
  });

  it('lists registries with host, user and scope', () => {
    expect(plan().registries).toEqual([
      { host: 'https://index.docker.io/v1/', username: 'acme-ci', scope: ORG },
    ]);
  });

  it.each<[string, Builder, string[]]>([
    ['buildx', BUILDX, ['/usr/bin/docker', 'buildx', 'build']],
    ['the classic builder', CLASSIC, ['/usr/bin/docker', 'build']],
  ])(
    'builds the argv for %s: head, secret flags, then the user flags untouched',
    (_l, builder, head) => {
      const passthrough = ['-t', 'app:1', '--build-arg', 'A=1', '--load', '.'];
      const { argv } = plan({ builder, passthrough });

      expect(argv.slice(0, head.length)).toEqual(head);
      expect(argv.slice(-passthrough.length)).toEqual(passthrough);
      expect(argv).toHaveLength(head.length + 2 * 5 + passthrough.length);
    },
  );

  it('carries the context, Dockerfile and directories', () => {
    const result = plan({ passthrough: ['-f', 'docker/dev.Dockerfile', 'web'] });

    expect(result.context).toBe('web');
    expect(result.dockerfile).toBe('docker/dev.Dockerfile');
    expect(result.runDir).toBe(RUN_DIR);
    expect(result.dockerConfigDir).toBe(path.join(RUN_DIR, 'docker-config'));
  });

  it('refuses a user --secret whose id the store also provides', () => {
    const passthrough = ['--secret', 'id=NPM_TOKEN,src=./tok', '.'];

    expect(() => plan({ passthrough })).toThrow(UsageError);
    expect(() => plan({ passthrough })).toThrow(/--secret id=NPM_TOKEN/);
  });

  it('accepts a user --secret with an id the store does not provide', () => {
    const passthrough = ['--secret', 'id=GH_TOKEN,env=GH_TOKEN', '.'];

    expect(secretArgs(plan({ passthrough }).argv)).toContain('id=GH_TOKEN,env=GH_TOKEN');
  });

  it('refuses a secret whose name would break the spec', () => {
    expect(() => plan({ secrets: [secret('a,b')] })).toThrow(SecretError);
  });

  it('refuses a run directory that would break the spec', () => {
    expect(() => plan({ runDir: '/dev/shm/a,b' })).toThrow(/not CSV-safe/);
  });

  it('plans an empty build when there are no secrets', () => {
    const result = plan({ secrets: [] });

    expect(result.secrets).toEqual([]);
    expect(result.registries).toEqual([]);
    expect(result.argv).toEqual([
      '/usr/bin/docker',
      'buildx',
      'build',
      '-t',
      'app:1',
      '--load',
      '.',
    ]);
  });

  it('holds no value anywhere in its JSON', () => {
    const json = JSON.stringify(plan());

    expect(json).toContain('NPM_TOKEN');
    expect(json).not.toContain(CANARY);
    expect(json).not.toContain('postgres://');
    expect(json).not.toContain(Buffer.from(CANARY).toString('base64').slice(0, 12));
  });
});

describe('planBuild aliases', () => {
  it('gives a file secret a second id that reads the same file', () => {
    const secret = {
      name: 'npmrc',
      type: 'file' as const,
      scope: { kind: 'project' as const, org: 'acme', owner: 'web' },
      mount: '/home/dev/.npmrc',
      value: Buffer.from('token-line'),
    };

    const plan = planBuild({
      builder: { docker: 'docker', kind: 'buildx' },
      runDir: '/dev/shm/ona-build-1-abc',
      secrets: [secret],
      passthrough: ['.'],
      info: { context: '.', userSecrets: [] },
      aliases: [{ id: '.npmrc', secretName: 'npmrc' }],
    });

    expect(plan.secrets.map((s) => [s.id, s.file])).toEqual([
      ['npmrc', '/dev/shm/ona-build-1-abc/secrets/0'],
      ['.npmrc', '/dev/shm/ona-build-1-abc/secrets/0'],
    ]);
    expect(plan.argv).toContain('id=.npmrc,src=/dev/shm/ona-build-1-abc/secrets/0');
  });
});
