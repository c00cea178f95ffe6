// Which scopes a principal may read, and the effective secrets it gets from a source.

import { UsageError } from '../errors.js';
import type { Scope, Secret } from './model.js';
import { resolvePrecedence, type Resolution } from './precedence.js';
import type { SecretSource } from './source.js';
import { validateScope } from './validate.js';

export interface Principal {
  readonly org: string;
  readonly project?: string;
  readonly user?: string;
  readonly serviceAccount?: string;
}

/**
 * `build`: organization and project secrets only, as every image build gets them.
 * `environment`: adds the user's (or service account's) own secrets on top.
 */
export type Purpose = 'build' | 'environment';

/**
 * The scopes, each name checked as `secret set` checks it: a name no secret can have (`a b`)
 * is a mistake to report, not a scope to find empty.
 */
export function scopesFor(principal: Principal, purpose: Purpose): Scope[] {
  const scopes = unvalidatedScopes(principal, purpose);
  for (const scope of scopes) validateScope(scope);
  return scopes;
}

function unvalidatedScopes(principal: Principal, purpose: Purpose): Scope[] {
  const { org } = principal;
  const scopes: Scope[] = [{ kind: 'organization', org, owner: org }];

  // Given empty (an option with no value), a name is refused by validateScope, not skipped.
  const { project, user, serviceAccount } = principal;
  if (project !== undefined) scopes.push({ kind: 'project', org, owner: project });
  if (purpose === 'build') return scopes;

  if (user !== undefined && serviceAccount !== undefined) {
    throw new UsageError('give either --user or --service-account, not both');
  }
  if (user !== undefined) scopes.push({ kind: 'user', org, owner: user });
  if (serviceAccount !== undefined) {
    scopes.push({ kind: 'service-account', org, owner: serviceAccount });
  }
  return scopes;
}

export async function resolveSecrets(
  source: SecretSource,
  principal: Principal,
  purpose: Purpose,
): Promise<Resolution<Secret>> {
  const secrets = await source.read(scopesFor(principal, purpose));
  return resolvePrecedence(secrets);
}
