// Which scopes a principal may read, and the effective secrets it gets from a source.

import { UsageError } from '../errors.js';
import type { Scope, Secret } from './model.js';
import { resolvePrecedence, type Resolution } from './precedence.js';
import type { SecretSource } from './source.js';

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

export function scopesFor(principal: Principal, purpose: Purpose): Scope[] {
  const { org } = principal;
  const scopes: Scope[] = [{ kind: 'organization', org, owner: org }];

  if (principal.project) scopes.push({ kind: 'project', org, owner: principal.project });
  if (purpose === 'build') return scopes;

  if (principal.user && principal.serviceAccount) {
    throw new UsageError('give either --user or --service-account, not both');
  }
  if (principal.user) scopes.push({ kind: 'user', org, owner: principal.user });
  if (principal.serviceAccount) {
    scopes.push({ kind: 'service-account', org, owner: principal.serviceAccount });
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
