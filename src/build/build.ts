// `ona-build build`: resolve → plan → materialize → run → cleanup, with one exit code.

import path from 'node:path';

import { describeErrno } from '../errno.js';
import { BuildFailedError, DockerUnavailableError, UsageError } from '../errors.js';
import { userDockerConfigDir } from '../materialize/docker-config.js';
import { RUN_DIR_PREFIX, type RunDir } from '../materialize/run-dir.js';
import type { Secret } from '../secrets/model.js';
import type { Override } from '../secrets/precedence.js';
import { describeScope } from '../secrets/validate.js';
import { exitCodeFor } from '../signals.js';
import { builderKindEnv, detectBuilder, namedClient, type Builder } from './builder.js';
import { builderEnv } from './builder-env.js';
import { refuseOwnFilesInContexts } from './context-guard.js';
import { diagnoseFailure } from './diagnose.js';
import {
  checkLocalContext,
  readPassthrough,
  readsStdin,
  secretVariables,
  type PassthroughInfo,
} from './passthrough.js';
import { planBuild, type BuildPlan } from './plan.js';
import { formatPlanText } from './plan-text.js';
import { describeAnalysis, preflight, type Preflight } from './preflight.js';
import { progressMode, refuseUnredactableProgress } from './progress.js';
import {
  findScript,
  ptyArgv,
  ptyColumns,
  refuseTtyWithStdin,
  wantsPty,
  wrapsSecrets,
} from './pty.js';
import {
  exportsToStdout,
  refuseScanAfterPush,
  refuseUnscannableOutputs,
  reportStdoutLeak,
  scanBuildResult,
  scanTarget,
  type ScanMode,
} from './leak-scan.js';
import { runBuilder } from './run-builder.js';
import { checkStaleness } from './staleness.js';
import { maskUserSecrets, streamedArgs, type StreamedSecret } from './user-secrets.js';
import { prepareSecrets, withRunDir, writeRunFiles, type SessionOptions } from './session.js';

export interface BuildOptions extends SessionOptions {
  /** `docker buildx build` options and the context, passed through untouched. */
  readonly passthrough: readonly string[];
  readonly docker?: string;
  readonly dryRun?: boolean;
  /** Rebuild the stages that mount secrets changed since the last build (else just warn). */
  readonly rebuildOnSecretChange?: boolean;
  /** With dryRun: JSON (the default) or text for people, as `ona-build plan` prints. */
  readonly planFormat?: 'json' | 'text';
  /** Scan what the build produced for the secrets it received. */
  readonly scanLeaks?: ScanMode;
  /** The user's stderr is a terminal: `auto` progress then gets the live display. */
  readonly stderrIsTty?: boolean;
  /** That terminal's size, for the pseudo-terminal the display is drawn on. */
  readonly terminalSize?: { readonly columns?: number; readonly rows?: number };
  /** Pass only the secrets the Dockerfile mounts. */
  readonly onlyReferenced?: boolean;
  /** Build even when a build argument carries a secret or looks like a credential. */
  readonly allowSecretBuildArgs?: boolean;
  /** ona-build's own store and key file, which no build context may hold. */
  readonly storeFiles?: { readonly store?: string; readonly keyFile?: string };
}

export async function runBuild(options: BuildOptions): Promise<number> {
  const { env } = options;
  const info = readPassthrough(options.passthrough);
  refuseUnredactableProgress(options.passthrough, env);
  refuseScanAfterPush(options.passthrough, options.scanLeaks ?? 'off');
  refuseUnscannableOutputs(options.passthrough, options.scanLeaks ?? 'off');
  refuseTtyWithStdin(options.passthrough, readsStdin(info));
  const streamed = maskUserSecrets(info.userSecrets, env, options.redactor, options.logger, {
    readStreams: !options.dryRun,
    stdinTaken: readsStdin(info),
  });

  // Started now, a probe (when the plugin file does not settle it) runs while the store is read.
  const named = namedClient(env, options.docker);
  const docker = named ?? 'docker';
  const userEnv = builderEnv(env, { DOCKER_CONFIG: userDockerConfigDir(env) });
  const builder = detectBuilder({
    docker,
    env: userEnv,
    guard: options.redactor,
    dockerCli: named === undefined,
    trustPluginFile: true,
  });
  builder.catch(() => undefined);

  const prepared = await prepareSecrets(options);
  // Once the values are masks: a path typed here may hold one, and the error repeats the path.
  checkLocalContext(info);
  refuseOwnFilesInContexts(
    info,
    options.passthrough,
    { tempRoot: prepared.root.path, ...options.storeFiles },
    options.logger,
  );
  const { secrets, overrides } = prepared;
  const checked = preflight({ ...options, info, secrets, overrides });

  if (options.dryRun) {
    const runDir = path.join(prepared.root.path, `${RUN_DIR_PREFIX}${process.pid}-<random>`);
    const detected = await builder.catch((error: unknown): Builder => {
      if (!(error instanceof DockerUnavailableError)) throw error;
      // The plan is still worth showing; it says which builder a working setup would use.
      options.logger.warn(`${error.message}; the plan shows a buildx build, which fails here`);
      return { docker, kind: 'buildx' };
    });
    const plan = planFor(options, checked, info, detected, runDir, []);
    options.stdout.write(
      options.planFormat === 'text'
        ? formatPlanText(plan, checked)
        : `${JSON.stringify(describePlan(plan, checked), null, 2)}\n`,
    );
    return 0;
  }

  return withRunDir(prepared, options.logger, async (dir) =>
    buildInRunDir(options, dir, checked, info, await builder, streamed, prepared.overrides),
  );
}

async function buildInRunDir(
  options: BuildOptions,
  dir: RunDir,
  checked: Preflight,
  info: PassthroughInfo,
  builder: Builder,
  streamed: readonly StreamedSecret[],
  dropped: readonly Override<Secret>[],
): Promise<number> {
  const { logger, env, redactor, signals } = options;
  const { secrets } = checked;
  const staleness = checkStaleness({
    ...options,
    info,
    secrets,
    rebuild: options.rebuildOnSecretChange === true,
    stagesMounting: checked.stagesMounting,
  });
  const scanMode = options.scanLeaks ?? 'off';
  // An archive on stdout is watched as it passes, instead of scanned afterwards.
  const stdoutVerbatim = exportsToStdout(options.passthrough);
  const scan = scanMode === 'off' ? undefined : scanTarget(options.passthrough, dir.path);
  const flags = [...staleness.flags, ...(scan?.flags ?? [])];
  const passthrough = streamedArgs(options.passthrough, streamed, dir.path);
  const plan = planFor({ ...options, passthrough }, checked, info, builder, dir.path, flags);
  logger.debug('plan', describePlan(plan));

  const dockerConfig = await writeRunFiles(plan, secrets, options, checked.pulledFrom);
  if (signals.signal) return exitCodeFor(signals.signal);

  const overrides = { DOCKER_CONFIG: dockerConfig, ...builderKindEnv(builder) };
  // Variables that carry a secret on purpose: the user's own --secret ones, and bare build
  // arguments let through by --allow-secret-build-args.
  const variables = [...secretVariables(info.userSecrets, env), ...checked.allowedVariables];
  const childEnv = builderEnv(env, overrides, [...checked.fromEnv, ...variables]);
  const stdin = readsStdin(info);
  const tty = wantsPty(options.passthrough, options.stderrIsTty === true, stdin);
  const script = tty && !tooNarrowForTty(options) && findScript(env);
  if (script) logger.debug('running the builder on a pseudo-terminal for tty progress');
  const result = await runBuilder({
    argv: script ? ptyArgv(script, plan.argv, options.terminalSize) : plan.argv,
    env: childEnv,
    secretVariables: variables,
    redactor,
    stdout: options.stdout,
    stderr: options.stderr,
    pty: Boolean(script),
    signals,
    logger,
    stdinInherit: stdin,
    stdoutVerbatim,
    onSpawn: (pid) => dir.recordBuilder(pid),
  });

  if (result.spawnError) {
    const reason = describeErrno(result.spawnError);
    throw new DockerUnavailableError(`could not start ${builder.docker}: ${reason}`, {
      cause: result.spawnError,
    });
  }
  if (result.signal) return exitCodeFor(result.signal);
  if (result.exitCode !== 0) {
    for (const hint of diagnoseFailure(result.stderrTail, plan)) logger.error(hint);
    const how = result.killedBy
      ? `the builder was killed by ${result.killedBy}`
      : `builder exit code ${result.exitCode}`;
    throw new BuildFailedError(`the build failed (${how})`, result.exitCode);
  }
  staleness.commit();
  if (result.stdoutSecret) reportStdoutLeak(scanMode, logger);
  if (scan && scanMode !== 'off') {
    // Values precedence dropped are looked for too: an old cached layer can hold one.
    const looked = [...secrets, ...dropped.map((override) => override.loser)];
    await scanBuildResult(scan, looked, scanMode, logger, env);
  }
  return 0;
}

function planFor(
  options: BuildOptions,
  checked: Preflight,
  info: PassthroughInfo,
  builder: Builder,
  runDir: string,
  extraFlags: string[],
): BuildPlan {
  return planBuild({
    builder,
    runDir,
    info,
    secrets: checked.secrets,
    passthrough: [...extraFlags, ...options.passthrough],
    aliases: checked.aliases,
    mountTargets: checked.mountTargets,
    syntax: checked.analysis?.syntax,
  });
}

/** The plan as printed by --dry-run and debug logs: ids, scopes, paths, argv; no values. */
export function describePlan(plan: BuildPlan, checked?: Preflight): Record<string, unknown> {
  return {
    ...(checked?.analysis && { analysis: describeAnalysis(checked) }),
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

/**
 * tty progress would wrap a secret into rows the redactor cannot recognise (see wrapsSecrets):
 * asked for, that is refused; under `auto`, the build shows plain progress instead, which the
 * terminal wraps on its own, after masking.
 */
function tooNarrowForTty(options: BuildOptions): boolean {
  const columns = options.terminalSize?.columns;
  if (!wrapsSecrets(options.redactor.longestSecretLine, columns)) return false;

  const why =
    `a secret is too long for tty progress at ${ptyColumns(columns)} columns: it would be cut into ` +
    'rows that cannot be masked';
  if (progressMode(options.passthrough) === 'tty') {
    throw new UsageError(`${why}; use --progress=plain, or a wider terminal`);
  }
  options.logger.info(`${why}; showing plain progress`);
  return true;
}
