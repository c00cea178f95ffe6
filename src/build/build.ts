// `ona-build build`: resolve → plan → materialize → run → cleanup, with one exit code.

import path from 'node:path';

import { BuildFailedError, DockerUnavailableError, SecretError } from '../errors.js';
import type { Logger } from '../log.js';
import { helperExists, listHelperServers } from '../materialize/credential-helpers.js';
import { userDockerConfigDir } from '../materialize/docker-config.js';
import { materializeSecrets } from '../materialize/materialize.js';
import { createRunDir, RUN_DIR_PREFIX, type RunDir } from '../materialize/run-dir.js';
import { sweepStaleRunDirs } from '../materialize/sweep.js';
import { candidateRoots, chooseTempRoot } from '../materialize/temp-root.js';
import type { Redactor } from '../redact/index.js';
import { MAX_SECRET_BYTES, type Secret } from '../secrets/model.js';
import { describeOverride } from '../secrets/precedence.js';
import { resolveSecrets, type Principal } from '../secrets/resolve.js';
import type { SecretSource } from '../secrets/source.js';
import { describeScope } from '../secrets/validate.js';
import { exitCodeFor, type SignalTrap } from '../signals.js';
import { builderKindEnv, detectBuilder, type Builder } from './builder.js';
import { builderEnv } from './builder-env.js';
import { diagnoseFailure } from './diagnose.js';
import { readPassthrough } from './passthrough.js';
import { planBuild, type BuildPlan } from './plan.js';
import { runBuilder } from './run-builder.js';

export interface BuildOptions {
  readonly principal: Principal;
  /** `docker buildx build` options and the context, passed through untouched. */
  readonly passthrough: readonly string[];
  readonly source: SecretSource;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly signals: SignalTrap;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly docker?: string;
  readonly dryRun?: boolean;
  readonly tmpdir?: string;
  readonly allowDiskSecrets?: boolean;
}

export async function runBuild(options: BuildOptions): Promise<number> {
  const { logger, env } = options;
  const info = readPassthrough(options.passthrough);
  const rootOptions = { env, explicit: options.tmpdir, allowDisk: options.allowDiskSecrets };

  sweep(candidateRoots(rootOptions), logger);

  // Started now, it runs while the store is read: the probe costs a docker start-up.
  const docker = options.docker ?? env.ONA_BUILD_DOCKER ?? 'docker';
  const userEnv = builderEnv(env, { DOCKER_CONFIG: userDockerConfigDir(env) });
  const builder = detectBuilder({ docker, env: userEnv, guard: options.redactor });
  builder.catch(() => undefined);

  const resolution = await resolveSecrets(options.source, options.principal, 'build');
  registerMasks(options.redactor, resolution.secrets, logger);
  assertWithinLimit(resolution.secrets);
  for (const override of resolution.overrides) logger.info(describeOverride(override));

  const root = chooseTempRoot(rootOptions);
  if (!root.isTmpfs) logger.warn(`secret files go to ${root.path}, which is not a tmpfs`);

  if (options.dryRun) {
    const runDir = path.join(root.path, `${RUN_DIR_PREFIX}${process.pid}-XXXXXX`);
    const detected = await builder.catch((): Builder => ({ docker, kind: 'buildx' }));
    const plan = planBuild({
      ...options,
      builder: detected,
      runDir,
      secrets: resolution.secrets,
      info,
    });
    options.stdout.write(`${JSON.stringify(describePlan(plan), null, 2)}\n`);
    return 0;
  }

  const runDir = createRunDir(root.path);
  try {
    return await buildInRunDir(options, runDir, resolution.secrets, info, builder);
  } finally {
    runDir.remove();
    logger.debug('removed the run directory', { dir: runDir.path });
  }
}

async function buildInRunDir(
  options: BuildOptions,
  dir: RunDir,
  secrets: Awaited<ReturnType<typeof resolveSecrets>>['secrets'],
  info: ReturnType<typeof readPassthrough>,
  detecting: Promise<Builder>,
): Promise<number> {
  const { logger, env, redactor, signals } = options;
  const runDir = dir.path;
  const dockerConfigDir = path.join(runDir, 'docker-config');
  const childEnv = builderEnv(env, { DOCKER_CONFIG: dockerConfigDir });

  const builder = await detecting;
  const plan = planBuild({ ...options, builder, runDir, secrets, info });
  logger.debug('plan', describePlan(plan));

  const config = await materializeSecrets(plan, secrets, {
    env,
    helperExists: (name) => helperExists(name, env),
    listHelperServers: (name) => listHelperServers(name, env, redactor),
  });
  for (const dropped of config.droppedHelpers) {
    logger.debug(`credential helper ${dropped.helper} (for ${dropped.registry}) is not installed`);
  }
  if (signals.signal) return exitCodeFor(signals.signal);

  const result = await runBuilder({
    argv: plan.argv,
    env: { ...childEnv, ...builderKindEnv(builder) },
    redactor,
    stdout: options.stdout,
    stderr: options.stderr,
    signals,
    logger,
    stdinInherit: info.context === '-' || info.dockerfile === '-',
    onSpawn: (pid) => dir.recordBuilder(pid),
  });

  if (result.spawnError) {
    throw new DockerUnavailableError(`could not start ${builder.docker}`, {
      cause: result.spawnError,
    });
  }
  if (result.signal) return exitCodeFor(result.signal);
  if (result.exitCode !== 0) {
    for (const hint of diagnoseFailure(result.stderrTail, plan)) logger.error(hint);
    throw new BuildFailedError(
      `the build failed (builder exit code ${result.exitCode})`,
      result.exitCode,
    );
  }
  return 0;
}

/** Registers every value before anything else can print it; warns about unmaskable ones. */
function registerMasks(
  redactor: Redactor,
  secrets: Awaited<ReturnType<typeof resolveSecrets>>['secrets'],
  logger: Logger,
): void {
  const skipped = redactor.add(
    secrets.map((secret) => ({
      id: secret.name,
      value: secret.value,
      registryUser: secret.registry?.username,
    })),
  );
  for (const { id } of skipped) {
    logger.warn(`secret ${id} is too short to be masked in output; use a longer value`);
  }
}

/**
 * The store refuses larger values when they are set; other sources may not, and BuildKit's own
 * error would come late and name neither the scope nor the limit.
 */
function assertWithinLimit(secrets: readonly Secret[]): void {
  for (const secret of secrets) {
    if (secret.value.length <= MAX_SECRET_BYTES) continue;
    throw new SecretError(
      `secret ${secret.name} (${describeScope(secret.scope)}) is ${secret.value.length} bytes; ` +
        `BuildKit accepts at most ${MAX_SECRET_BYTES}`,
      'SECRET_TOO_LARGE',
    );
  }
}

function sweep(roots: string[], logger: Logger): void {
  const { removed } = sweepStaleRunDirs(roots);
  for (const dir of removed) logger.info(`removed ${dir}, left behind by an interrupted run`);
}

/** The plan as printed by --dry-run and debug logs: ids, scopes, paths, argv; no values. */
export function describePlan(plan: BuildPlan): Record<string, unknown> {
  return {
    builder: plan.builder.kind,
    context: plan.context,
    dockerfile: plan.dockerfile,
    runDir: plan.runDir,
    dockerConfig: plan.dockerConfigDir,
    secrets: plan.secrets.map((s) => ({
      id: s.id,
      type: s.type,
      scope: describeScope(s.scope),
      file: s.file,
      bytes: s.bytes,
    })),
    registries: plan.registries.map((r) => ({
      host: r.host,
      username: r.username,
      scope: describeScope(r.scope),
    })),
    argv: plan.argv,
  };
}
