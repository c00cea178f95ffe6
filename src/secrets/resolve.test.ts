import { describe, expect, it } from 'vitest';

import { UsageError } from '../errors.js';
import type { Scope } from './model.js';
import { scopesFor, type Principal, type Purpose } from './resolve.js';

const org: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };
const project: Scope = { kind: 'project', org: 'acme', owner: 'web' };
const user: Scope = { kind: 'user', org: 'acme', owner: 'ana' };
const serviceAccount: Scope = { kind: 'service-account', org: 'acme', owner: 'ci' };

describe('scopesFor', () => {
  it.each<[string, Principal, Purpose, Scope[]]>([
    ['an organization alone', { org: 'acme' }, 'build', [org]],
    ['a project build', { org: 'acme', project: 'web' }, 'build', [org, project]],
    [
      'a build, ignoring the user',
      { org: 'acme', project: 'web', user: 'ana' },
      'build',
      [org, project],
    ],
    [
      'a build, ignoring the service account',
      { org: 'acme', serviceAccount: 'ci' },
      'build',
      [org],
    ],
    [
      "a user's environment",
      { org: 'acme', project: 'web', user: 'ana' },
      'environment',
      [org, project, user],
    ],
    [
      "a service account's environment",
      { org: 'acme', project: 'web', serviceAccount: 'ci' },
      'environment',
      [org, project, serviceAccount],
    ],
    ['an environment without a project', { org: 'acme', user: 'ana' }, 'environment', [org, user]],
  ])('lists the scopes of %s, least specific first', (_label, principal, purpose, expected) => {
    expect(scopesFor(principal, purpose)).toEqual(expected);
  });

  it.each<[string, Principal, RegExp]>([
    [
      'an organization name with a space',
      { org: 'a b' },
      /invalid organization name \(not repeated here\)/,
    ],
    [
      'a project name with a slash',
      { org: 'acme', project: '/' },
      /invalid project name \(not repeated here\)/,
    ],
    ['a user name too long', { org: 'acme', user: 'u'.repeat(128) }, /invalid user name/],
  ])('refuses %s, as secret set does', (_label, principal, message) => {
    expect(() => scopesFor(principal, 'environment')).toThrow(message);
  });

  it('refuses an environment for both a user and a service account', () => {
    expect(() =>
      scopesFor({ org: 'acme', user: 'ana', serviceAccount: 'ci' }, 'environment'),
    ).toThrow(UsageError);
  });
});
