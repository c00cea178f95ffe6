// Pre-flight: before anything is written or started, read the Dockerfile with a real parser and
// check it against the secrets the build will get. A required secret that no scope provides, or a
// build argument that carries a secret, stops the build here, naming the line and the scopes
// searched. The result also narrows what the build receives: aliases for file secrets mounted by
// their file name, only the registries the Dockerfile pulls from, and (on request) only the
// secrets it mounts.

import fs from 'node:fs';
import path from 'node:path';

import {
  analyzeDockerfile,
  checkBuildArgs,
  checkSecretMounts,
  describeBuildArgProblem,
  describeMissing,
  type BuildArgProblem,
  type DockerfileAnalysis,
  type SecretCheck,
} from '../dockerfile/index.js';
import { SecretError, UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Redactor } from '../redact/index.js';
import type { Secret } from '../secrets/model.js';
import { describeOverride, type Override } from '../secrets/precedence.js';
import { registryOfImage } from '../secrets/registry-host.js';
import { scopesFor, type Principal } from '../secrets/resolve.js';
import { describeScope } from '../secrets/validate.js';
import { readBuildArgs } from './build-args.js';
import { VALUE_FLAGS } from './buildx-flags.js';
import {
  buildContextSources,
  localDockerfilePath,
  splitFlag,
  type PassthroughInfo,
} from './passthrough.js';
import { lookalikeRegistryWarnings } from './registry-hints.js';

export interface PreflightOptions {
  readonly info: PassthroughInfo;
  readonly passthrough: readonly string[];
  readonly secrets: readonly Secret[];
  /** What precedence dropped: a step asking for a loser by name is told why it is missing. */
  readonly overrides?: readonly Override[];
  readonly principal: Principal;
  readonly logger: Logger;
  readonly onlyReferenced?: boolean;
  readonly allowSecretBuildArgs?: boolean;
  readonly redactor: Redactor;
  readonly env: NodeJS.ProcessEnv;
}

export interface Preflight {
  readonly dockerfile?: string;
  readonly analysis?: DockerfileAnalysis;
  readonly check?: SecretCheck;
  /** The secrets the build receives (all, or only those the Dockerfile mounts). */
  readonly secrets: Secret[];
  /** Variables the user's options read from the environment; the builder gets them. */
  readonly fromEnv: string[];
  /**
   * Those of `fromEnv` that hold a secret's value, let through by --allow-secret-build-args: the
   * builder's environment carries them on purpose.
   */
  readonly allowedVariables: string[];
  /** Extra ids that answer to a file secret's file name. */
  readonly aliases: { readonly id: string; readonly secretName: string }[];
  /** Where the Dockerfile mounts each secret, for failure hints. */
  readonly mountTargets?: Map<string, string>;
  /** Stage names mounting any of the ids; undefined when a stage has no name. */
  readonly stagesMounting: (ids: readonly string[]) => string[] | undefined;
  /** The registries the build pulls from (config.json keys); undefined when not knowable. */
  readonly pulledFrom?: readonly string[];
}

export function preflight(options: PreflightOptions): Preflight {
  const { logger } = options;
  const dockerfile = localDockerfilePath(options.info);
  const text = dockerfile === undefined ? undefined : readIfPresent(dockerfile);
  if (text === undefined) {
    logger.debug('no local Dockerfile to analyse; every secret and registry is passed');
    rejectSecretsInOptions(options);
    return {
      secrets: [...options.secrets],
      aliases: [],
      fromEnv: readBuildArgs(options.passthrough).fromEnv,
      allowedVariables: [],
      stagesMounting: () => undefined,
    };
  }

  const { buildArgs, fromEnv, target } = readBuildArgs(options.passthrough);
  const allowedVariables = checkArgs(buildArgs, valuesFromEnv(fromEnv, options.env), options);
  rejectSecretsInOptions(options);
  const analysis = analyzeDockerfile(text, { buildArgs, target });
  refuseMissingTarget(analysis, dockerfile!);
  for (const warning of analysis.warnings) {
    logger.warn(
      `${path.basename(dockerfile!)}${warning.line ? `:${warning.line}` : ''}: ${warning.message}`,
    );
  }

  for (const warning of lookalikeRegistryWarnings(analysis.registries, options.secrets)) {
    logger.warn(`${path.basename(dockerfile!)}: ${warning}`);
  }

  // The user's own --secret flags answer mounts too: buildx gets them as they were given.
  const given = options.info.userSecrets.map(({ id }) => ({
    name: id,
    type: 'file' as const,
    scopeLabel: 'your --secret flag',
  }));
  const check = checkSecretMounts(analysis, [...options.secrets.map(toAvailable), ...given]);
  reportCheck(check, options);
  const pulledFrom = analysis.registriesKnown ? registriesPulled(options, analysis) : undefined;
  return {
    dockerfile,
    analysis,
    check,
    fromEnv,
    allowedVariables,
    pulledFrom,
    secrets: selectSecrets(options, analysis, check, pulledFrom),
    aliases: check.aliases,
    mountTargets: new Map(
      analysis.secretMounts.flatMap((m) => (m.target ? [[m.target, m.id] as const] : [])),
    ),
    stagesMounting: (ids) => stagesMounting(analysis, ids),
  };
}

/**
 * An option the user typed (a build argument, a label, a tag) that holds a stored secret's value
 * would put it in argv and, mostly, in the image. Say so plainly, naming the option's position.
 */
function rejectSecretsInOptions(options: PreflightOptions): void {
  const { redactor } = options;
  options.passthrough.forEach((arg, index) => {
    if (!redactor.holdsSecret(arg)) return;
    const what = describeArgument(options.passthrough, index);
    throw new SecretError(
      `${what} carries the value (or an encoded form) of a stored secret: options end up in ` +
        'argv, logs and often the image; mount the secret instead (RUN --mount=type=secret)',
      'SECRET_IN_OPTIONS',
    );
  });
}

/**
 * Names argument `index` without showing it: `the value of --label` for `--label=...` or for the
 * argument after a flag that takes one, else its position.
 */
export function describeArgument(args: readonly string[], index: number): string {
  const arg = args[index];
  if (arg.startsWith('--') && arg.includes('=')) return `the value of ${arg.split('=', 1)[0]}`;
  // `-tVALUE`, `-t=VALUE`, `-qtVALUE`: a shorthand with its value in the same argument.
  const [flag, inline] = arg.startsWith('-') ? splitFlag(arg) : [arg, undefined];
  if (inline !== undefined && VALUE_FLAGS.has(flag)) return `the value of ${flag}`;
  const previous = args[index - 1];
  if (previous !== undefined && VALUE_FLAGS.has(previous)) return `the value of ${previous}`;
  return `argument ${index + 1}`;
}

function valuesFromEnv(names: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

/**
 * Build arguments that carry a secret or look like one. `--allow-secret-build-args` lets them
 * through with a warning, except a value typed on the command line (`--build-arg A=value`): argv
 * is readable by every process, so a secret's value there is always refused. Returns the
 * variables of bare `--build-arg NAME` let through with a secret's value.
 */
function checkArgs(
  inline: Record<string, string>,
  fromEnv: Record<string, string>,
  options: PreflightOptions,
): string[] {
  const secrets = options.secrets.map((s) => ({
    name: s.name,
    value: s.value,
    scopeLabel: describeScope(s.scope),
  }));
  const inArgv = checkBuildArgs(inline, secrets).filter(carriesSecret);
  if (inArgv.length > 0) {
    throw new SecretError(
      `${inArgv.map(describeBuildArgProblem).join('\n')}\n(a value given as --build-arg ` +
        "NAME=value, typed or from devcontainer.json's build.args, is on the builder's command " +
        'line, which every process on the machine can read, so no option lets it through)',
      'SECRET_BUILD_ARG',
    );
  }

  // One problem per argument, the strongest: a form of a secret outranks a credential-like name.
  const exact = checkBuildArgs({ ...inline, ...fromEnv }, secrets);
  const forms = secretForms(fromEnv, options.redactor).filter(
    ({ arg }) => !exact.some((problem) => problem.arg === arg && carriesSecret(problem)),
  );
  const problems = [...exact.filter(({ arg }) => !forms.some((f) => f.arg === arg)), ...forms];
  if (problems.length === 0) return [];
  const described = problems.map(describeBuildArgProblem);
  if (!options.allowSecretBuildArgs) {
    throw new SecretError(
      `${described.join('\n')}\n(--allow-secret-build-args builds anyway)`,
      'SECRET_BUILD_ARG',
    );
  }

  for (const problem of described) options.logger.warn(problem);
  return problems.filter(carriesSecret).map(({ arg }) => arg);
}

/**
 * Values read from the environment that hold what the redactor masks but are no secret's exact
 * value: a line of a multi-line one, `$(cat file)` without its newline. The builder's environment
 * would carry them, which the spawn's guard refuses.
 */
function secretForms(fromEnv: Record<string, string>, redactor: Redactor): BuildArgProblem[] {
  return Object.entries(fromEnv).flatMap(([arg, value]) =>
    redactor.holdsSecret(value) ? [{ arg, reason: 'secret-form' as const }] : [],
  );
}

function carriesSecret(problem: BuildArgProblem): boolean {
  return problem.reason !== 'credential-name';
}

function reportCheck(check: SecretCheck, options: PreflightOptions): void {
  const searched = scopesFor(options.principal, 'build').map(describeScope);
  const dropped = new Map(
    (options.overrides ?? []).map((override) => [override.loser.name, describeOverride(override)]),
  );
  for (const notice of check.notices) options.logger.info(notice);
  for (const warning of check.warnings) options.logger.warn(warning);

  // Optional ones are warnings even when a required one stops the build.
  if (check.missingOptional.length > 0) {
    options.logger.warn(describeMissing({ ...check, missingRequired: [] }, searched, dropped));
  }
  if (check.missingRequired.length > 0) {
    const required = describeMissing({ ...check, missingOptional: [] }, searched, dropped);
    throw new SecretError(required, 'SECRET_MISSING');
  }
}

/** The Dockerfile's registries and those its docker-image:// build contexts pull from. */
function registriesPulled(options: PreflightOptions, analysis: DockerfileAnalysis): string[] {
  const hosts = [
    ...analysis.registries.map((r) => r.host),
    ...buildContextRegistries(options.passthrough),
  ];
  return [...new Set(hosts)];
}

function selectSecrets(
  options: PreflightOptions,
  analysis: DockerfileAnalysis,
  check: SecretCheck,
  pulledFrom: readonly string[] | undefined,
): Secret[] {
  const hosts = new Set(pulledFrom);
  const neededRegistry = (s: Secret) =>
    s.type !== 'registry' || pulledFrom === undefined || hosts.has(s.registry!.host);

  if (!options.onlyReferenced) return options.secrets.filter(neededRegistry);
  if (!analysis.secretMountsKnown) {
    options.logger.warn('some secret ids are only known at build time: passing every secret');
    return options.secrets.filter(neededRegistry);
  }
  const referenced = new Set(check.referencedNames);
  return options.secrets.filter((s) =>
    s.type === 'registry' ? neededRegistry(s) : referenced.has(s.name),
  );
}

function stagesMounting(
  analysis: DockerfileAnalysis,
  ids: readonly string[],
): string[] | undefined {
  const stages = new Set(
    analysis.secretMounts.filter((m) => ids.includes(m.id)).map((m) => m.stage),
  );
  // BuildKit's --no-cache-filter takes stage names; an unnamed stage cannot be singled out.
  if ([...stages].some((stage) => /^\d+$/.test(stage))) return undefined;
  return [...stages];
}

function toAvailable(secret: Secret) {
  return {
    name: secret.name,
    type: secret.type,
    mount: secret.mount,
    scopeLabel: describeScope(secret.scope),
  };
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The analysis as `plan` and `--dry-run` print it: ids, lines, hosts; never values. */
export function describeAnalysis(checked: Preflight): Record<string, unknown> {
  const { analysis, check } = checked;
  return {
    dockerfile: checked.dockerfile,
    secretMounts: analysis?.secretMounts,
    missingRequired: check?.missingRequired,
    missingOptional: check?.missingOptional,
    aliases: check?.aliases,
    registries: analysis?.registries,
    registriesKnown: analysis?.registriesKnown,
    syntax: analysis?.syntax,
    warnings: analysis?.warnings,
  };
}

/** buildx would fail on it, after the secrets of stages the build would not run were checked. */
function refuseMissingTarget(analysis: DockerfileAnalysis, dockerfile: string): void {
  if (!analysis.missingTarget) return;

  const { target, stages } = analysis.missingTarget;
  const named = stages.length === 0 ? 'it names no stage' : `its stages: ${stages.join(', ')}`;
  throw new UsageError(
    `target stage "${target}" could not be found in ${path.basename(dockerfile)} (${named})`,
  );
}

/**
 * Registries that `--build-context NAME=docker-image://REF` pulls from: the Dockerfile's stage or
 * image NAME then comes from REF, which the Dockerfile does not name.
 */
export function buildContextRegistries(args: readonly string[]): string[] {
  return buildContextSources(args).flatMap((source) => {
    const image = /^docker-image:\/\/(.+)$/.exec(source)?.[1];
    return image ? [registryOfImage(image)] : [];
  });
}
