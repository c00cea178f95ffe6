// The --org/--project/--user/--service-account options, and their translation into a scope.

import type { Argv } from 'yargs';

import { UsageError } from '../errors.js';
import type { Scope } from '../secrets/model.js';
import { validateScope } from '../secrets/validate.js';

export function scopeOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('org', { type: 'string', demandOption: true, describe: 'Organization' })
    .option('project', { type: 'string', describe: 'Project in the organization' })
    .option('user', { type: 'string', describe: 'User in the organization' })
    .option('service-account', { type: 'string', describe: 'Service account in the organization' });
}

export interface ScopeArgs {
  readonly org: string;
  readonly project?: string;
  readonly user?: string;
  readonly serviceAccount?: string;
}

/** Exactly one target scope: the organization itself unless one narrower scope is named. */
export function targetScope(args: ScopeArgs): Scope {
  const named = (
    [
      ['project', args.project],
      ['user', args.user],
      ['service-account', args.serviceAccount],
    ] as const
  ).filter(([, owner]) => owner !== undefined);

  if (named.length > 1) {
    throw new UsageError('give at most one of --project, --user and --service-account');
  }
  const [kind, owner] = named[0] ?? ['organization', args.org];
  const scope: Scope = { kind, org: args.org, owner: owner! };
  validateScope(scope);
  return scope;
}

/** Every scope a listing covers: the organization and each narrower scope named. */
export function listedScopes(args: ScopeArgs): Scope[] {
  const { org } = args;
  const scopes: Scope[] = [{ kind: 'organization', org, owner: org }];
  // An option given empty (`--user` with no value) is a mistake, named by validateScope.
  if (args.project !== undefined) scopes.push({ kind: 'project', org, owner: args.project });
  if (args.user !== undefined) scopes.push({ kind: 'user', org, owner: args.user });
  if (args.serviceAccount !== undefined) {
    scopes.push({ kind: 'service-account', org, owner: args.serviceAccount });
  }
  for (const scope of scopes) validateScope(scope);
  return scopes;
}
