// A build plan is pure data: which secret ids the build gets from which scope and file, which
// registries get credentials, and the full docker argv. It never holds a value, so it can be
// printed as it is by `--dry-run`.

import path from 'node:path';

import { SecretError, UsageError } from '../errors.js';
import type { Scope, Secret, SecretType } from '../secrets/model.js';
import { validateName } from '../secrets/validate.js';
import { builderArgv, type Builder } from './builder.js';
import type { PassthroughInfo, UserSecretSpec } from './passthrough.js';

/** The secret types that become BuildKit secret mounts. */
const MOUNTED_TYPES: ReadonlySet<SecretType> = new Set(['env', 'file']);

export interface PlannedSecret {
  readonly id: string;
  readonly type: SecretType;
  readonly scope: Scope;
  /** Where the value will be written, inside the run directory. */
  readonly file: string;
  readonly bytes: number;
}

export interface PlannedRegistry {
  readonly host: string;
  readonly username: string;
  readonly scope: Scope;
}

export interface BuildPlan {
  readonly builder: Builder;
  readonly runDir: string;
  readonly dockerConfigDir: string;
  readonly context: string;
  readonly dockerfile?: string;
  readonly secrets: PlannedSecret[];
  readonly registries: PlannedRegistry[];
  readonly argv: string[];
  /** Where the Dockerfile mounts each secret (target path → id), when it was analysed. */
  readonly mountTargets: ReadonlyMap<string, string>;
  /** The frontend image a `# syntax=` directive asks for, when it was analysed. */
  readonly syntax?: { readonly image: string; readonly line: number };
}

export interface PlanOptions {
  readonly builder: Builder;
  readonly runDir: string;
  readonly secrets: readonly Secret[];
  readonly passthrough: readonly string[];
  readonly info: PassthroughInfo;
  readonly mountTargets?: ReadonlyMap<string, string>;
  /** Extra ids that read a file secret's file (the Dockerfile mounts it by its file name). */
  readonly aliases?: readonly { readonly id: string; readonly secretName: string }[];
  readonly syntax?: { readonly image: string; readonly line: number };
}

export function planBuild(options: PlanOptions): BuildPlan {
  const { runDir, info } = options;
  const mounted = options.secrets.filter((secret) => MOUNTED_TYPES.has(secret.type));

  const secrets = withAliases(planSecretMounts(mounted, runDir), options.aliases ?? []);
  rejectUserSecretCollisions(secrets, info.userSecrets);
  const registries = planRegistries(options.secrets);

  return {
    builder: options.builder,
    runDir,
    dockerConfigDir: path.join(runDir, 'docker-config'),
    context: info.context,
    dockerfile: info.dockerfile,
    secrets,
    registries,
    argv: builderArgv(options.builder, [...secretFlags(secrets), ...options.passthrough]),
    mountTargets: options.mountTargets ?? storedMountTargets(mounted),
    syntax: options.syntax,
  };
}

/** Env and file secrets become mounts, each with its own file in the run directory. */
export function planSecretMounts(secrets: readonly Secret[], runDir: string): PlannedSecret[] {
  const secretsDir = path.join(runDir, 'secrets');
  return secrets
    .filter((secret) => MOUNTED_TYPES.has(secret.type))
    .map((secret, index) => toPlannedSecret(secret, secretsDir, index));
}

export function planRegistries(secrets: readonly Secret[]): PlannedRegistry[] {
  return secrets
    .filter((secret) => secret.type === 'registry')
    .map((secret) => ({
      host: secret.registry!.host,
      username: secret.registry!.username,
      scope: secret.scope,
    }));
}

/** An alias is one more id for the same file: BuildKit reads it under both names. */
function withAliases(
  secrets: PlannedSecret[],
  aliases: readonly { readonly id: string; readonly secretName: string }[],
): PlannedSecret[] {
  const extra = aliases.flatMap((alias) => {
    const planned = secrets.find((secret) => secret.id === alias.secretName);
    return planned ? [{ ...planned, id: alias.id }] : [];
  });
  return [...secrets, ...extra];
}

/** The `--secret` flags for the planned mounts, as argv elements. */
export function secretFlags(secrets: readonly PlannedSecret[]): string[] {
  return secrets.flatMap((secret) => ['--secret', secretSpec(secret)]);
}

/**
 * `id=<id>,src=<file>`: always an explicit src, never a bare id or `env=`, so BuildKit cannot
 * fall back to a same-named file in the current directory or a variable in the environment.
 */
export function secretSpec(secret: Pick<PlannedSecret, 'id' | 'file'>): string {
  validateName(secret.id);
  if (/[,"\n\r]/.test(secret.file)) {
    throw new SecretError(`internal: secret file path for ${secret.id} is not CSV-safe`);
  }
  return `id=${secret.id},src=${secret.file}`;
}

/** Without a Dockerfile analysis, file secrets' own mount paths say where they are mounted. */
function storedMountTargets(secrets: readonly Secret[]): Map<string, string> {
  const targets = new Map<string, string>();
  for (const secret of secrets) if (secret.mount) targets.set(secret.mount, secret.name);
  return targets;
}

function toPlannedSecret(secret: Secret, secretsDir: string, index: number): PlannedSecret {
  return {
    id: secret.name,
    type: secret.type,
    scope: secret.scope,
    // Plain concatenation: path.join costs more than the rest of planning at 10,000 secrets.
    file: `${secretsDir}/${index}`,
    bytes: secret.value.length,
  };
}

function rejectUserSecretCollisions(
  secrets: readonly PlannedSecret[],
  userSecrets: readonly UserSecretSpec[],
): void {
  for (const { id } of userSecrets) {
    if (secrets.some((secret) => secret.id === id)) {
      throw new UsageError(
        `--secret id=${id} is also provided by ona-build from the store; ` +
          'remove the flag or rename one of them',
      );
    }
  }
}
