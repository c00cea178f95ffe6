import { describe, expect, it } from 'vitest';

import { OnaBuildError, SecretError, UsageError } from '../errors.js';
import { MAX_NAME_LENGTH, MAX_SECRET_BYTES, type Scope, type Secret } from './model.js';
import { describeScope, validateName, validateScope, validateSecret } from './validate.js';
import { thrownBy } from '../test-support/thrown-by.js';

const CANARY = 'CANARY-7f3c9a1e-do-not-print';
const ORG: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };
const PROJECT: Scope = { kind: 'project', org: 'acme', owner: 'web' };

function secret(overrides: Partial<Secret> = {}): Secret {
  return {
    name: 'api_token',
    type: 'env',
    scope: PROJECT,
    value: Buffer.from(CANARY),
    ...overrides,
  };
}

const errorOf = (fn: () => void) => thrownBy(fn, SecretError);
const usageErrorOf = (fn: () => void) => thrownBy(fn, UsageError);

describe('describeScope', () => {
  it.each([
    [ORG, 'organization acme'],
    [PROJECT, 'project acme/web'],
    [{ kind: 'user', org: 'acme', owner: 'ana' } as const, 'user acme/ana'],
    [{ kind: 'service-account', org: 'acme', owner: 'ci' } as const, 'service-account acme/ci'],
  ])('describes %o as %s', (scope, expected) => {
    expect(describeScope(scope)).toBe(expected);
  });
});

describe('validateName', () => {
  it.each([
    'NPM_TOKEN',
    'npm_token',
    '.npmrc',
    'pip.conf',
    'pip-conf',
    'aws.credentials',
    'ingress.hosts.0',
    'a',
    'x'.repeat(MAX_NAME_LENGTH),
  ])('accepts %j as it is', (name) => {
    expect(() => validateName(name)).not.toThrow();
  });

  it.each([
    ['an empty name', ''],
    ['a 128-character name', 'x'.repeat(128)],
    ['a comma', 'a,b'],
    ['a double quote', 'a"b'],
    ['an equals sign', 'a=b'],
    ['a newline', 'a\nb'],
    ['a trailing newline', 'token\n'],
    ['a carriage return', 'a\rb'],
    ['a space', 'a b'],
    ['a slash', 'team/npm.token'],
    ['a lone dot', '.'],
    ['two dots', '..'],
  ])('rejects %s', (_label, name) => {
    expect(() => validateName(name)).toThrow(SecretError);
  });

  it.each([
    ["'='", `TOKEN=${CANARY}`],
    ["':'", `TOKEN:${CANARY}`],
    ['a space', `TOKEN ${CANARY}`],
    ['U+000A', `TOKEN\n${CANARY}`],
  ])('does not repeat an invalid name containing %s, which may hold a value', (what, name) => {
    const run = () => validateName(name);

    expect(run).toThrow(`invalid secret name: it contains ${what}`);
    expect(run).not.toThrow(CANARY);
  });
});

describe('validateScope', () => {
  it('accepts ordinary organization and project names', () => {
    expect(() => validateScope(PROJECT)).not.toThrow();
  });

  it.each([
    ['an empty organization', { kind: 'organization', org: '', owner: '' }],
    ['an organization with a slash', { kind: 'organization', org: 'a/b', owner: 'a/b' }],
    ['a project with a comma', { kind: 'project', org: 'acme', owner: 'web,api' }],
    ['a user name of 128 characters', { kind: 'user', org: 'acme', owner: 'u'.repeat(128) }],
    ['an organization named ..', { kind: 'organization', org: '..', owner: '..' }],
    ['a project named .', { kind: 'project', org: 'acme', owner: '.' }],
  ] as const)('rejects %s', (_label, scope) => {
    const error = usageErrorOf(() => validateScope(scope));

    expect(error.code).toBe('SCOPE_NAME');
    expect(error.exitCode).toBe(2);
  });

  it('never repeats a name it refuses: a value may have been typed in its place', () => {
    const scope = {
      kind: 'organization',
      org: 'S3cr3t P@ss!word',
      owner: 'S3cr3t P@ss!word',
    } as const;

    const { message } = usageErrorOf(() => validateScope(scope));

    expect(message).toBe(
      'invalid organization name (not repeated here): use 1 to 127 letters, digits, ' +
        "'_', '.' and '-'",
    );
  });
});

describe('validateSecret', () => {
  it('accepts an env secret with an ordinary variable name', () => {
    expect(() => validateSecret(secret())).not.toThrow();
  });

  it.each(['PATH', 'path', 'Ld_Preload', 'LD_PRELOAD', 'HOME', 'Shell', 'USER', 'PWD'])(
    'reserves the env name %s',
    (name) => {
      const error = errorOf(() => validateSecret(secret({ name })));
      expect(error.message).toContain('reserved');
      expect(error.message).toContain(name);
    },
  );

  it.each(['1TOKEN', 'pip-conf', 'aws.credentials', '.npmrc', '9f8e7d6c5b4a3f2e1d'])(
    'rejects %s as an env secret because it is not a variable name, not repeating it',
    (name) => {
      const error = errorOf(() => validateSecret(secret({ name })));

      expect(error.code).toBe('SECRET_NAME');
      expect(error.message).toContain('(not repeated here): an env secret');
      expect(error.message).not.toContain(name);
    },
  );

  it.each(['pip-conf', 'aws.credentials', '.npmrc'])('accepts %s as a file secret name', (name) => {
    const file = secret({ name, type: 'file', mount: '/root/.config/x' });
    expect(() => validateSecret(file)).not.toThrow();
  });

  it.each(['/root/.npmrc', '/etc/pip/pip.conf', '/home/app/.config/gh/hosts.yml'])(
    'accepts the mount path %j',
    (mount) => {
      expect(() => validateSecret(secret({ type: 'file', mount }))).not.toThrow();
    },
  );

  it.each([
    ['no mount', undefined, 'a file secret needs --mount with an absolute path'],
    ['an empty mount', '', 'a file secret needs --mount'],
    ['a relative mount', 'root/.npmrc', 'must be absolute'],
    ['a dot-relative mount', './.npmrc', 'must be absolute'],
    ['a mount with ..', '/root/../etc/passwd', 'is not normalised: write /etc/passwd'],
    ['a mount with //', '/root//.npmrc', 'is not normalised: write /root/.npmrc'],
    ['a trailing slash', '/root/', 'is not normalised: write /root'],
    ['the root itself', '/', 'mount path "/" names no file'],
    ['a path that is the root', '/..', 'mount path "/.." names no file'],
    ['a newline', '/root/.npm\nrc', 'holds a line break'],
    ['a NUL byte', '/root/.npm\0rc', 'holds a control character'],
    ['a DEL, shown escaped', '/a\u007fb', 'mount path "/a\\u007fb" holds a control character'],
    ['a NEL (U+0085)', '/a\u0085b', 'holds a control character'],
    ['a byte that was not UTF-8', '/a\ufffdb', 'holds a control character'],
    ['a path of 4096 bytes', `/${'a'.repeat(4095)}`, 'a mount path must be under 4096 bytes'],
  ])('rejects a file secret with %s, saying why', (_label, mount, why) => {
    expect(() => validateSecret(secret({ type: 'file', mount }))).toThrow(SecretError);
    expect(errorOf(() => validateSecret(secret({ type: 'file', mount }))).message).toContain(why);
  });

  it('accepts a value of exactly 512000 bytes', () => {
    const value = Buffer.alloc(MAX_SECRET_BYTES, 'a');
    expect(MAX_SECRET_BYTES).toBe(512_000);
    expect(() => validateSecret(secret({ name: 'ca_bundle', scope: ORG, value }))).not.toThrow();
  });

  it('rejects 512001 bytes naming the id, the scope and the limit but not the value', () => {
    const value = Buffer.alloc(MAX_SECRET_BYTES + 1, CANARY);
    const error = errorOf(() => validateSecret(secret({ name: 'ca_bundle', scope: ORG, value })));

    expect(error.code).toBe('SECRET_TOO_LARGE');
    expect(error.message).toContain('ca_bundle');
    expect(error.message).toContain('organization acme');
    expect(error.message).toContain('512000');
    expect(error.message).toContain('512001');
    expect(error.message).not.toContain(CANARY.slice(0, 8));
  });

  it('needs a host and a username for a registry secret', () => {
    const noHost = secret({ type: 'registry', registry: { host: '', username: 'ci' } });
    const noUser = secret({ type: 'registry', registry: { host: 'ghcr.io', username: '' } });

    expect(() => validateSecret(noHost)).toThrow(/registry host and a username/);
    expect(() => validateSecret(noUser)).toThrow(/registry host and a username/);
  });

  it('rejects a basic registry username with a colon, but not an identity one', () => {
    const registry = { host: 'myacr.azurecr.io', username: 'a:b' };
    const basic = secret({ name: 'acr', type: 'registry', registry });
    const identity = secret({
      name: 'acr',
      type: 'registry',
      registry: { ...registry, kind: 'identity' },
    });

    expect(() => validateSecret(basic)).toThrow(/cannot contain ':'/);
    expect(() => validateSecret(identity)).not.toThrow();
  });

  it('never puts the value in any error message', () => {
    const bad: Secret[] = [
      secret({ name: 'PATH' }),
      secret({ name: 'bad-env' }),
      secret({ type: 'file', mount: 'relative' }),
      secret({ type: 'registry' }),
      secret({ name: 'a,b' }),
      secret({ scope: { kind: 'project', org: 'acme', owner: 'bad/owner' } }),
    ];

    const messages = bad.map((s) => thrownBy(() => validateSecret(s), OnaBuildError).message);

    expect(messages).toHaveLength(bad.length);
    for (const message of messages) expect(message).not.toContain(CANARY);
  });
});
