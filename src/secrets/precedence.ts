// Precedence: user > project > organization (service accounts rank with users: both are the
// principal that runs). A higher scope overrides a lower one on the same name; and when two
// surviving secrets target the same mount (env name, file path or registry host) the higher scope
// wins and the lower one is dropped with a notice.

import type { ScopeKind, Secret, SecretMeta } from './model.js';
import { describeScope } from './validate.js';

const RANK: Record<ScopeKind, number> = {
  organization: 0,
  project: 1,
  user: 2,
  'service-account': 2,
};

export interface Override<T extends SecretMeta = SecretMeta> {
  readonly winner: T;
  readonly loser: T;
  readonly reason: 'name' | 'mount';
}

export interface Resolution<T extends SecretMeta = Secret> {
  /** The effective secrets, sorted by name. */
  readonly secrets: T[];
  /**
   * What each winner overrode, for provenance reports, which name secrets only. A loser's value
   * is still stored, and may still turn up (an old cached layer): it is masked all the same.
   */
  readonly overrides: Override<T>[];
}

/** Resolves any list of secrets (or metadata) from several scopes into the effective set. */
export function resolvePrecedence<T extends SecretMeta>(candidates: readonly T[]): Resolution<T> {
  const overrides: Override<T>[] = [];
  const ordered = [...candidates].sort(
    (a, b) => RANK[b.scope.kind] - RANK[a.scope.kind] || compareNames(a, b),
  );

  const byName = new Map<string, T>();
  for (const secret of ordered) {
    const existing = byName.get(secret.name);
    if (existing) overrides.push({ winner: existing, loser: secret, reason: 'name' });
    else byName.set(secret.name, secret);
  }

  const byMount = new Map<string, T>();
  const survivors: T[] = [];
  for (const secret of byName.values()) {
    const key = mountKey(secret);
    const existing = key === undefined ? undefined : byMount.get(key);
    // Same rank: the first by name wins, so the outcome never depends on storage order.
    if (existing && RANK[existing.scope.kind] >= RANK[secret.scope.kind]) {
      overrides.push({ winner: existing, loser: secret, reason: 'mount' });
      continue;
    }
    if (key !== undefined) byMount.set(key, secret);
    survivors.push(secret);
  }

  survivors.sort(compareNames);
  return { secrets: survivors, overrides };
}

/** Byte order of names: how ties between secrets of one rank are broken. */
export function compareNames(a: Pick<SecretMeta, 'name'>, b: Pick<SecretMeta, 'name'>): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** What a secret occupies in an environment; two secrets with one key cannot both apply. */
export function mountKey(secret: SecretMeta): string | undefined {
  switch (secret.type) {
    case 'env':
      return `env:${secret.name}`;
    case 'file':
      return secret.mount === undefined ? undefined : `file:${secret.mount}`;
    case 'registry':
      return secret.registry === undefined ? undefined : `registry:${secret.registry.host}`;
    case 'api-only':
      return undefined;
  }
}

/** One line per override, for notices: names and scopes, never values. */
export function describeOverride(override: Override): string {
  const what = override.reason === 'name' ? 'the same name' : `the same ${override.winner.type}`;
  return (
    `${override.winner.name} (${describeScope(override.winner.scope)}) overrides ` +
    `${override.loser.name} (${describeScope(override.loser.scope)}): ${what}`
  );
}
