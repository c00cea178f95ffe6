// Matches the secret ids a Dockerfile mounts against the secrets the build will get. Ids are
// compared byte for byte: BuildKit ids are case-sensitive, so `NPM_TOKEN` and `npm_token` are two
// secrets. A file secret also answers to the base name of its mount path (a Dockerfile that mounts
// `target=/root/.npmrc` without an id asks for `.npmrc`) when no secret has that exact name.

import type { SecretType } from '../secrets/model.js';
import { goBase } from './mounts.js';
import type { DockerfileAnalysis, SecretMountRef } from './types.js';

export interface AvailableSecret {
  readonly name: string;
  readonly type: SecretType;
  /** The container path of a file secret. */
  readonly mount?: string;
  /** The scope as people read it: `organization acme`. */
  readonly scopeLabel: string;
}

export interface MissingSecret {
  readonly id: string;
  /** 1-based line of the first RUN that mounts it (the first required one, when required). */
  readonly line: number;
  /** The variable the step expects it in, when mounted with `env=`. */
  readonly env?: string;
}

export interface SecretCheck {
  /** The build must not start: a step mounts these with `required`. */
  readonly missingRequired: MissingSecret[];
  /** Worth a warning: the steps run without them. */
  readonly missingOptional: MissingSecret[];
  /** Dockerfile ids answered by a file secret of another name, through its mount path. */
  readonly aliases: { readonly id: string; readonly secretName: string }[];
  readonly notices: string[];
  /** Worth a warning though the build runs: a file mounted where a step asks is passed over. */
  readonly warnings: string[];
  /** Names of the secrets the Dockerfile mounts, after aliasing, in order of first use. */
  readonly referencedNames: string[];
}

// Only env and file secrets become BuildKit secrets: registry secrets go into the temporary
// docker config, and api-only secrets never leave the store.
const MOUNTABLE_TYPES: ReadonlySet<SecretType> = new Set(['env', 'file']);

type Resolution = { name?: string; alias?: boolean; notice?: string; warning?: string };

export function checkSecretMounts(
  analysis: Pick<DockerfileAnalysis, 'secretMounts'>,
  available: readonly AvailableSecret[],
): SecretCheck {
  const check = {
    missingRequired: [] as MissingSecret[],
    missingOptional: [] as MissingSecret[],
    aliases: [] as { id: string; secretName: string }[],
    notices: [] as string[],
    warnings: [] as string[],
    referencedNames: [] as string[],
  };

  for (const [id, mounts] of groupById(analysis.secretMounts)) {
    const resolution = resolveId(id, available);
    if (resolution.notice) check.notices.push(resolution.notice);
    if (resolution.warning) check.warnings.push(resolution.warning);

    if (resolution.name === undefined) recordMissing(check, id, mounts);
    else if (!check.referencedNames.includes(resolution.name)) {
      check.referencedNames.push(resolution.name);
    }
    if (resolution.alias && resolution.name) {
      check.aliases.push({ id, secretName: resolution.name });
    }
  }
  return check;
}

function groupById(mounts: readonly SecretMountRef[]): Map<string, SecretMountRef[]> {
  const groups = new Map<string, SecretMountRef[]>();
  for (const mount of mounts) groups.set(mount.id, [...(groups.get(mount.id) ?? []), mount]);
  return groups;
}

function resolveId(id: string, available: readonly AvailableSecret[]): Resolution {
  const mountable = available.filter((secret) => MOUNTABLE_TYPES.has(secret.type));
  const byName = mountable.find((secret) => secret.name === id);
  const byMount = mountable.filter(
    (secret) => secret.type === 'file' && secret.mount !== undefined && secret.name !== id,
  );
  const byBaseName = byMount.filter((secret) => goBase(secret.mount ?? '') === id);

  if (byName) return { name: byName.name, ...nameWinsNotice(id, byBaseName) };
  if (byBaseName.length === 1) return { name: byBaseName[0]?.name, alias: true };
  if (byBaseName.length > 1) return { notice: ambiguousNotice(id, byBaseName) };

  const unmountable = available.find((secret) => secret.name === id);
  if (!unmountable) return {};
  const { scopeLabel, type } = unmountable;
  return {
    notice:
      `secret ${JSON.stringify(id)} (${scopeLabel}) is of type ${type}, ` +
      'which is never passed to a build as a secret mount',
  };
}

function nameWinsNotice(
  id: string,
  others: readonly AvailableSecret[],
): Pick<Resolution, 'warning'> {
  if (others.length === 0) return {};
  return {
    warning:
      `secret id ${JSON.stringify(id)} is answered by the secret of that name; ` +
      `${describeFiles(others)}, mounted at a path ending in the same name, ` +
      `${others.length > 1 ? 'are' : 'is'} not used for it`,
  };
}

function ambiguousNotice(id: string, candidates: readonly AvailableSecret[]): string {
  return (
    `secret id ${JSON.stringify(id)} matches the mount paths of ${describeFiles(candidates)}; ` +
    `none is used: name the one to mount ${JSON.stringify(id)}`
  );
}

function describeFiles(secrets: readonly AvailableSecret[]): string {
  const names = secrets.map((secret) => `${secret.name} (${secret.scopeLabel}, ${secret.mount})`);
  return `file secret${secrets.length > 1 ? 's' : ''} ${names.join(', ')}`;
}

// One entry per id: required when any step requires it, at the line of the first such step.
function recordMissing(
  check: Pick<SecretCheck, 'missingRequired' | 'missingOptional'>,
  id: string,
  mounts: readonly SecretMountRef[],
): void {
  const required = mounts.find((mount) => mount.required);
  const first = required ?? mounts[0];
  if (!first) return;

  const entry = { id, line: first.line, ...(first.env !== undefined && { env: first.env }) };
  (required ? check.missingRequired : check.missingOptional).push(entry);
}

/**
 * One line per missing secret, required ones first, e.g. `Dockerfile line 4 mounts secret
 * "NPM_TOKEN" (required) but no scope provides it (searched: organization acme, project
 * acme/web)`. Names ids and scopes only.
 */
export function describeMissing(
  check: SecretCheck,
  scopesSearched: readonly string[],
  dropped: ReadonlyMap<string, string> = new Map(),
): string {
  const scopes = scopesSearched.length > 0 ? scopesSearched.join(', ') : 'no scope';
  const why = (id: string) => {
    const override = dropped.get(id);
    return override === undefined
      ? `no scope provides it (searched: ${scopes})`
      : `precedence drops it (${override})`;
  };
  return [
    ...check.missingRequired.map((missing) => describeOne(missing, true, why(missing.id))),
    ...check.missingOptional.map((missing) => describeOne(missing, false, why(missing.id))),
  ].join('\n');
}

function describeOne(missing: MissingSecret, required: boolean, why: string): string {
  const what = `Dockerfile line ${missing.line} mounts secret ${JSON.stringify(missing.id)}`;
  const kind = required ? 'required' : 'optional';
  const base = `${what} (${kind}) but ${why}`;
  if (required) return base;
  if (missing.env === undefined) return `${base}; the step runs without it`;
  return `${base}; the step runs with ${missing.env} set to an empty value`;
}
