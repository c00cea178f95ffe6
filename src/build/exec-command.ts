// `ona-build exec -- COMMAND...`: runs any command (the dev container CLI, make, a script) with
// the build's secrets and registry auth in place. A `docker` shim first on PATH adds the
// `--secret` flags to every build the command starts; DOCKER_CONFIG points at the temporary
// config, so pulls use the stored registry credentials. The command's exit code is passed
// through, and everything is removed when it exits.

import fs from 'node:fs';
import path from 'node:path';

import { DockerUnavailableError, SecretError, UsageError } from '../errors.js';
import { which } from '../which.js';
import { writeCheckManifest } from '../exec-shim/check-build.js';
import { shimScript } from '../exec-shim/shim-script.js';
import { writeFileExclusive } from '../materialize/run-dir.js';
import { exitCodeFor } from '../signals.js';
import { planSecretMounts, secretFlags } from './plan.js';
import { namedClient } from './builder.js';
import { INSIDE_EXEC_ENV } from './nesting.js';
import { runBuilder } from './run-builder.js';
import { prepareSecrets, withRunDir, writeRunFiles, type SessionOptions } from './session.js';
import { describeErrno } from '../errno.js';

export interface ExecOptions extends SessionOptions {
  readonly command: readonly string[];
  readonly docker?: string;
  /**
   * How to run this CLI (node and its script): the shim runs its `exec-check` before each build
   * the command starts. Without it (a library caller), builds get the shim's own checks only.
   */
  readonly selfCommand?: readonly string[];
  readonly storeFiles?: { readonly store?: string; readonly keyFile?: string };
}

export async function runExec(options: ExecOptions): Promise<number> {
  const { env, logger } = options;
  if (options.command.length === 0) throw new UsageError('exec needs a command after --');

  const realDocker = findExecutable(namedClient(env, options.docker) ?? 'docker', env);
  const prepared = await prepareSecrets(options);
  const { secrets } = prepared;
  rejectSecretsInCommand(options);

  return withRunDir(prepared, logger, async (dir) => {
    const planned = planSecretMounts(secrets, dir.path);
    const dockerConfig = await writeRunFiles(
      { runDir: dir.path, secrets: planned },
      secrets,
      options,
    );

    const shimDir = path.join(dir.path, 'bin');
    fs.mkdirSync(shimDir, { mode: 0o700 });
    const ids = planned.map((secret) => secret.id);
    const secretFiles = planned.map(({ id, file }) => ({ id, file }));
    const own = { tempRoot: prepared.root.path, ...options.storeFiles };
    writeCheckManifest(dir.path, { secretFiles, dockerConfig, own });
    const check = options.selfCommand && [...options.selfCommand, 'exec-check', dir.path];
    const script = shimScript({ realDocker, buildFlags: secretFlags(planned), ids, check });
    writeFileExclusive(path.join(shimDir, 'docker'), Buffer.from(script), 0o700);
    if (options.signals.signal) return exitCodeFor(options.signals.signal);

    const result = await runBuilder({
      argv: options.command,
      env: commandEnv(env, options, { shimDir, dockerConfig }),
      redactor: options.redactor,
      stdout: options.stdout,
      stderr: options.stderr,
      signals: options.signals,
      logger,
      stdinInherit: true,
      what: 'the command',
      onSpawn: (pid) => dir.recordBuilder(pid),
    });

    if (result.spawnError) return reportSpawnError(options, result.spawnError);
    if (result.signal) return exitCodeFor(result.signal);
    // A shell says so too (`Terminated`, `Segmentation fault`): the exit code alone hides it.
    if (result.killedBy) logger.warn(`the command was killed by ${result.killedBy}`);
    return result.exitCode;
  });
}

/**
 * A command line holding a stored secret's value would show it to every `ps` on the machine, and
 * the spawn's own guard would call that a bug in ona-build: it is the caller's to fix.
 */
function rejectSecretsInCommand(options: ExecOptions): void {
  options.command.forEach((arg, index) => {
    if (!options.redactor.holdsSecret(arg)) return;
    const what = index === 0 ? 'the command' : `argument ${index} of the command`;
    throw new SecretError(
      `${what} carries the value (or an encoded form) of a stored secret: command lines are ` +
        "visible to every process on the machine; let the command read the secret's file or " +
        'variable instead',
      'SECRET_IN_COMMAND',
    );
  });
}

/**
 * The command gets the caller's environment (it is the caller's command), with the shim first on
 * PATH and the temporary DOCKER_CONFIG. A variable that carries a secret value is dropped, so a
 * stray `NPM_TOKEN` in the shell can never reach a build through a bare `--build-arg`; so are
 * ona-build's own settings (ONA_BUILD_MASTER_KEY above all), which would open the whole store.
 */
function commandEnv(
  parent: NodeJS.ProcessEnv,
  options: Pick<SessionOptions, 'logger' | 'redactor'>,
  paths: { shimDir: string; dockerConfig: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    // The command gets the build's secrets, not the keys to every scope of the store.
    if (value === undefined || name.startsWith('ONA_BUILD_')) continue;
    if (options.redactor.holdsSecret(value)) {
      options.logger.warn(`not passing ${name} to the command: it holds a stored secret's value`);
      continue;
    }
    env[name] = value;
  }

  env.PATH = [paths.shimDir, parent.PATH].filter(Boolean).join(path.delimiter);
  env.DOCKER_CONFIG = paths.dockerConfig;
  env[INSIDE_EXEC_ENV] = path.dirname(paths.shimDir);
  return env;
}

/** As a shell does: 127 when the command is not found, 126 when it cannot be run. */
function reportSpawnError(options: ExecOptions, error: Error): number {
  const code = (error as NodeJS.ErrnoException).code;
  const command = options.command[0];
  const reason = code === 'ENOENT' ? 'not found' : describeErrno(error);
  options.logger.error(`could not start ${command}: ${reason}`);
  return code === 'ENOENT' ? 127 : 126;
}

/** An absolute path for `name`, searching PATH as a shell would. */
function findExecutable(name: string, env: NodeJS.ProcessEnv): string {
  const found = which(name, env);
  if (found) return found;
  throw new DockerUnavailableError(
    `docker client not found (${name}): install docker, or set ONA_BUILD_DOCKER to its path`,
  );
}
