// `ona-build build`: resolve → plan → materialize → run → cleanup, with one exit code.

import path from 'node:path';

import { BuildFailedError, DockerUnavailableError } from '../errors.js';
import { userDockerConfigDir } from '../materialize/docker-config.js';
import { RUN_DIR_PREFIX, type RunDir } from '../materialize/run-dir.js';
import type { Secret } from '../secrets/model.js';
import { describeScope } from '../secrets/validate.js';
import { exitCodeFor } from '../signals.js';
import { builderKindEnv, detectBuilder, type Builder } from './builder.js';
import { builderEnv } from './builder-env.js';
import { diagnoseFailure } from './diagnose.js';
import { readPassthrough, type PassthroughInfo } from './passthrough.js';
import { planBuild, type BuildPlan } from './plan.js';
import { runBuilder } from './run-builder.js';
import { checkStaleness } from './staleness.js';
import { prepareSecrets, withRunDir, writeRunFiles, type SessionOptions } from './session.js';

export interface BuildOptions extends SessionOptions {
  /** `docker buildx build` options and the context, passed through untouched. */
  readonly passthrough: readonly string[];
  readonly docker?: string;
  readonly dryRun?: boolean;
  /** Rebuild the stages that mount secrets changed since the last build (else just warn). */
  readonly rebuildOnSecretChange?: boolean;
}

export async function runBuild(options: BuildOptions): Promise<number> {
  const { env } = options;
  const info = readPassthrough(options.passthrough);

  // Started now, the probe (a docker start-up) runs while the store is read.
  const docker = options.docker ?? env.ONA_BUILD_DOCKER ?? 'docker';
  const userEnv = builderEnv(env, { DOCKER_CONFIG: userDockerConfigDir(env) });
  const builder = detectBuilder({ docker, env: userEnv, guard: options.redactor });
  builder.catch(() => undefined);

  const { secrets, root } = await prepareSecrets(options);

  if (options.dryRun) {
    const runDir = path.join(root.path, `${RUN_DIR_PREFIX}${process.pid}-XXXXXX`);
    const detected = await builder.catch((): Builder => ({ docker, kind: 'buildx' }));
    const plan = planBuild({ ...options, builder: detected, runDir, secrets, info });
    options.stdout.write(`${JSON.stringify(describePlan(plan), null, 2)}\n`);
    return 0;
  }

  return withRunDir(root, options.logger, async (dir) =>
    buildInRunDir(options, dir, secrets, info, await builder),
  );
}

async function buildInRunDir(
  options: BuildOptions,
  dir: RunDir,
  secrets: readonly Secret[],
  info: PassthroughInfo,
  builder: Builder,
): Promise<number> {
  const { logger, env, redactor, signals } = options;
  const staleness = checkStaleness({
    ...options,
    info,
    secrets,
    rebuild: options.rebuildOnSecretChange === true,
  });
  const passthrough = [...staleness.flags, ...options.passthrough];
  const plan = planBuild({ ...options, passthrough, builder, runDir: dir.path, secrets, info });
  logger.debug('plan', describePlan(plan));

  const dockerConfig = await writeRunFiles(plan, secrets, options);
  if (signals.signal) return exitCodeFor(signals.signal);

  const childEnv = builderEnv(env, { DOCKER_CONFIG: dockerConfig, ...builderKindEnv(builder) });
  const result = await runBuilder({
    argv: plan.argv,
    env: childEnv,
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
  staleness.commit();
  return 0;
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
