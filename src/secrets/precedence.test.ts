import { describe, expect, it } from 'vitest';

import type { Scope, ScopeKind, Secret, SecretType } from './model.js';
import { describeOverride, mountKey, resolvePrecedence } from './precedence.js';

const CANARY = 'CANARY-51f0c2-never-printed';
const SCOPES: Record<ScopeKind, Scope> = {
  organization: { kind: 'organization', org: 'acme', owner: 'acme' },
  project: { kind: 'project', org: 'acme', owner: 'web' },
  user: { kind: 'user', org: 'acme', owner: 'ana' },
  'service-account': { kind: 'service-account', org: 'acme', owner: 'ci' },
};

interface Spec {
  readonly name: string;
  readonly kind: ScopeKind;
  readonly type?: SecretType;
  readonly mount?: string;
  readonly host?: string;
}

function make(spec: Spec): Secret {
  const type = spec.type ?? 'env';
  return {
    name: spec.name,
    type,
    scope: SCOPES[spec.kind],
    value: Buffer.from(`${CANARY}:${spec.kind}:${spec.name}`),
    ...(spec.mount !== undefined && { mount: spec.mount }),
    ...(spec.host !== undefined && { registry: { host: spec.host, username: 'ci' } }),
  };
}

function winners(specs: Spec[]): string[] {
  return resolvePrecedence(specs.map(make)).secrets.map((s) => `${s.scope.kind}:${s.name}`);
}

describe('resolvePrecedence', () => {
  it.each([
    [['organization', 'project', 'user'], 'user'],
    [['user', 'project', 'organization'], 'user'],
    [['organization', 'project'], 'project'],
    [['project', 'organization'], 'project'],
    [['organization', 'service-account'], 'service-account'],
    [['organization'], 'organization'],
  ] as const)('on the same name, scopes %j resolve to %s', (kinds, expected) => {
    expect(winners(kinds.map((kind) => ({ name: 'NPM_TOKEN', kind })))).toEqual([
      `${expected}:NPM_TOKEN`,
    ]);
  });

  it('records a name override with winner and loser, most specific first', () => {
    const result = resolvePrecedence(
      (['organization', 'project', 'user'] as const).map((kind) => make({ name: 'tok', kind })),
    );

    expect(
      result.overrides.map((o) => [o.winner.scope.kind, o.loser.scope.kind, o.reason]),
    ).toEqual([
      ['user', 'project', 'name'],
      ['user', 'organization', 'name'],
    ]);
  });

  it('keeps the value of the winning secret', () => {
    const result = resolvePrecedence([
      make({ name: 'tok', kind: 'organization' }),
      make({ name: 'tok', kind: 'project' }),
    ]);

    expect(result.secrets[0].value.toString()).toBe(`${CANARY}:project:tok`);
  });

  it('keeps NPM_TOKEN and npm_token apart: precedence applies only to the same name', () => {
    const result = resolvePrecedence([
      make({ name: 'NPM_TOKEN', kind: 'organization' }),
      make({ name: 'npm_token', kind: 'project' }),
    ]);

    expect(result.secrets.map((s) => s.name)).toEqual(['NPM_TOKEN', 'npm_token']);
    expect(result.overrides).toEqual([]);
  });

  it('passes dotted and dashed names through unchanged', () => {
    const names = ['.npmrc', 'aws.credentials', 'netrc', 'pip-conf', 'pip.conf'];
    const result = resolvePrecedence(
      names.map((name) => make({ name, kind: 'project', type: 'api-only' })),
    );

    expect(result.secrets.map((s) => s.name)).toEqual(names);
  });

  it.each([
    ['file path', 'file', { mount: '/root/.npmrc' }],
    ['registry host', 'registry', { host: 'ghcr.io' }],
  ] as const)(
    'on the same %s from different names, keeps the higher scope and records the loser',
    (_label, type, target) => {
      const result = resolvePrecedence([
        make({ name: 'a_org', kind: 'organization', type, ...target }),
        make({ name: 'z_user', kind: 'user', type, ...target }),
        make({ name: 'm_project', kind: 'project', type, ...target }),
      ]);

      expect(result.secrets.map((s) => s.name)).toEqual(['z_user']);
      expect(result.overrides.map((o) => [o.winner.name, o.loser.name, o.reason])).toEqual([
        ['z_user', 'm_project', 'mount'],
        ['z_user', 'a_org', 'mount'],
      ]);
    },
  );

  it('keeps secrets whose mounts differ', () => {
    expect(
      winners([
        { name: 'npmrc', kind: 'organization', type: 'file', mount: '/root/.npmrc' },
        { name: 'pipconf', kind: 'project', type: 'file', mount: '/etc/pip.conf' },
        { name: 'ghcr', kind: 'organization', type: 'registry', host: 'ghcr.io' },
        { name: 'hub', kind: 'project', type: 'registry', host: 'https://index.docker.io/v1/' },
      ]),
    ).toEqual(['organization:ghcr', 'project:hub', 'organization:npmrc', 'project:pipconf']);
  });

  it.each([
    ['in name order', ['alpha', 'beta']],
    ['in reverse order', ['beta', 'alpha']],
  ])('settles a same-rank mount conflict by name whatever the input order (%s)', (_l, names) => {
    const result = resolvePrecedence(
      names.map((name) => make({ name, kind: 'project', type: 'file', mount: '/root/.npmrc' })),
    );

    expect(result.secrets.map((s) => s.name)).toEqual(['alpha']);
    expect(result.overrides.map((o) => [o.winner.name, o.loser.name])).toEqual([['alpha', 'beta']]);
  });

  it('lets a name loser take no part in mount conflicts', () => {
    const result = resolvePrecedence([
      make({ name: 'npmrc', kind: 'organization', type: 'file', mount: '/root/.npmrc' }),
      make({ name: 'npmrc', kind: 'user', type: 'file', mount: '/home/ana/.npmrc' }),
      make({ name: 'other', kind: 'project', type: 'file', mount: '/root/.npmrc' }),
    ]);

    expect(result.secrets.map((s) => `${s.scope.kind}:${s.name}`)).toEqual([
      'user:npmrc',
      'project:other',
    ]);
    expect(result.overrides.map((o) => o.reason)).toEqual(['name']);
  });

  it('returns the effective secrets sorted by name, independent of input order', () => {
    const specs: Spec[] = [
      { name: 'zeta', kind: 'organization' },
      { name: 'Alpha', kind: 'user' },
      { name: 'beta', kind: 'project' },
    ];

    expect(winners(specs)).toEqual(['user:Alpha', 'project:beta', 'organization:zeta']);
    expect(winners([...specs].reverse())).toEqual(winners(specs));
  });

  it('never mounts api-only secrets against each other', () => {
    const result = resolvePrecedence([
      make({ name: 'a', kind: 'organization', type: 'api-only' }),
      make({ name: 'b', kind: 'project', type: 'api-only' }),
    ]);

    expect(result.secrets).toHaveLength(2);
    expect(result.overrides).toEqual([]);
  });
});

describe('mountKey', () => {
  it.each([
    [{ name: 'NPM_TOKEN', kind: 'project' }, 'env:NPM_TOKEN'],
    [{ name: 'npm_token', kind: 'project' }, 'env:npm_token'],
    [{ name: 'n', kind: 'project', type: 'file', mount: '/root/.npmrc' }, 'file:/root/.npmrc'],
    [{ name: 'n', kind: 'project', type: 'file' }, undefined],
    [{ name: 'r', kind: 'project', type: 'registry', host: 'ghcr.io' }, 'registry:ghcr.io'],
    [{ name: 'x', kind: 'project', type: 'api-only' }, undefined],
  ] satisfies [Spec, string | undefined][])('keys %o as %s', (spec, expected) => {
    expect(mountKey(make(spec))).toBe(expected);
  });
});

describe('describeOverride', () => {
  it('names both secrets and scopes and why', () => {
    const [override] = resolvePrecedence([
      make({ name: 'tok', kind: 'organization' }),
      make({ name: 'tok', kind: 'project' }),
    ]).overrides;

    expect(describeOverride(override)).toBe(
      'tok (project acme/web) overrides tok (organization acme): the same name',
    );
  });

  it('says which kind of mount two secrets share', () => {
    const [override] = resolvePrecedence([
      make({ name: 'a', kind: 'organization', type: 'file', mount: '/root/.npmrc' }),
      make({ name: 'b', kind: 'user', type: 'file', mount: '/root/.npmrc' }),
    ]).overrides;

    expect(describeOverride(override)).toBe(
      'b (user acme/ana) overrides a (organization acme): the same file',
    );
  });

  it('never includes a value in any description', () => {
    const result = resolvePrecedence([
      make({ name: 'tok', kind: 'organization' }),
      make({ name: 'tok', kind: 'project' }),
      make({ name: 'tok', kind: 'user' }),
      make({ name: 'a', kind: 'organization', type: 'file', mount: '/root/.npmrc' }),
      make({ name: 'b', kind: 'project', type: 'file', mount: '/root/.npmrc' }),
      make({ name: 'r1', kind: 'organization', type: 'registry', host: 'ghcr.io' }),
      make({ name: 'r2', kind: 'service-account', type: 'registry', host: 'ghcr.io' }),
    ]);

    const lines = result.overrides.map(describeOverride);

    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toContain(CANARY);
      expect(line).not.toContain(Buffer.from(CANARY).toString('base64').slice(0, 12));
    }
  });
});
