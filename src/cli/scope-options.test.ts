import { describe, expect, it } from 'vitest';

import { UsageError } from '../errors.js';
import type { Scope } from '../secrets/model.js';
import { listedScopes, targetScope, type ScopeArgs } from './scope-options.js';

const org: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };

describe('targetScope', () => {
  it.each<[string, ScopeArgs, Scope]>([
    ['the organization when nothing narrower is named', { org: 'acme' }, org],
    ['a project', { org: 'acme', project: 'web' }, { kind: 'project', org: 'acme', owner: 'web' }],
    ['a user', { org: 'acme', user: 'ana' }, { kind: 'user', org: 'acme', owner: 'ana' }],
    [
      'a service account',
      { org: 'acme', serviceAccount: 'ci' },
      { kind: 'service-account', org: 'acme', owner: 'ci' },
    ],
    [
      'names as typed',
      { org: 'Acme.io', project: 'Web-App' },
      { kind: 'project', org: 'Acme.io', owner: 'Web-App' },
    ],
  ])('targets %s', (_label, args, expected) => {
    expect(targetScope(args)).toEqual(expected);
  });

  it.each<ScopeArgs>([
    { org: 'acme', project: 'web', user: 'ana' },
    { org: 'acme', project: 'web', serviceAccount: 'ci' },
    { org: 'acme', user: 'ana', serviceAccount: 'ci' },
    { org: 'acme', project: 'web', user: 'ana', serviceAccount: 'ci' },
  ])('refuses more than one narrower scope: %o', (args) => {
    expect(() => targetScope(args)).toThrow(UsageError);
  });
});

describe('listedScopes', () => {
  it.each<[string, ScopeArgs, Scope[]]>([
    ['just the organization', { org: 'acme' }, [org]],
    [
      'the organization and each narrower scope named',
      { org: 'acme', project: 'web', user: 'ana', serviceAccount: 'ci' },
      [
        org,
        { kind: 'project', org: 'acme', owner: 'web' },
        { kind: 'user', org: 'acme', owner: 'ana' },
        { kind: 'service-account', org: 'acme', owner: 'ci' },
      ],
    ],
    [
      'a project alongside the organization',
      { org: 'acme', project: 'web' },
      [org, { kind: 'project', org: 'acme', owner: 'web' }],
    ],
  ])('lists %s', (_label, args, expected) => {
    expect(listedScopes(args)).toEqual(expected);
  });
});

describe('scope names', () => {
  it.each<ScopeArgs>([{ org: 'a b' }, { org: 'acme', project: 'w/eb' }, { org: 'acme', user: '' }])(
    'are checked as secret set checks them: %o',
    (args) => {
      expect(() => listedScopes(args)).toThrow(/invalid (organization|project|user) name/);
      expect(() => targetScope(args)).toThrow(/invalid (organization|project|user) name/);
    },
  );
});
