// The options `build`, `plan` and `devcontainer build` share, and their translation into
// BuildOptions. Every other option is passed to `docker buildx build` untouched.

import type { Argv } from 'yargs';

import type { BuildOptions } from '../build/build.js';
import { UsageError } from '../errors.js';
import type { SignalTrap } from '../signals.js';
import { AS_TYPED } from './as-typed.js';
import type { CommandContext } from './context.js';

export function buildOptions(yargs: Argv) {
  return (
    yargs
      .parserConfiguration({ ...AS_TYPED, 'unknown-options-as-args': true })
      .option('org', { type: 'string', demandOption: true, describe: 'Organization' })
      .option('project', { type: 'string', demandOption: true, describe: 'Project' })
      .option('dry-run', {
        type: 'boolean',
        describe: 'Print the plan as JSON (secret ids, scopes, files, registries, argv; no values)',
      })
      .option('only-referenced', {
        type: 'boolean',
        describe: 'Pass only the secrets the Dockerfile mounts',
      })
      .option('allow-secret-build-args', {
        type: 'boolean',
        describe: 'Build even when a --build-arg carries a secret or looks like a credential',
      })
      .option('rebuild-on-secret-change', {
        type: 'boolean',
        describe: 'Rebuild stages that mount secrets changed since the last build (else warn)',
      })
      .option('scan-leaks', {
        type: 'string',
        describe: 'Scan what the build produced for secrets: warn (the default when given) or fail',
        coerce: (value: string) => (value === '' || value === 'true' ? 'warn' : value),
        choices: ['warn', 'fail', 'off'],
      })
      .option('tmpdir', {
        type: 'string',
        describe: 'Directory for secret files; must be a tmpfs [env ONA_BUILD_TMPDIR]',
      })
      .option('allow-disk-secrets', {
        type: 'boolean',
        describe: 'Allow secret files on a filesystem that is not tmpfs',
      })
      // Known only to be refused by name: buildx has no such options, and passed on, the value
      // would be counted as a second build context.
      .option('user', { type: 'string', hidden: true })
      .option('service-account', { type: 'string', hidden: true })
  );
}

interface SharedArgs {
  readonly org: string;
  readonly project: string;
  readonly dryRun?: boolean;
  readonly onlyReferenced?: boolean;
  readonly allowSecretBuildArgs?: boolean;
  readonly rebuildOnSecretChange?: boolean;
  readonly tmpdir?: string;
  readonly allowDiskSecrets?: boolean;
  readonly scanLeaks?: string;
  readonly user?: string;
  readonly serviceAccount?: string;
}

export function toBuildOptions(
  args: SharedArgs,
  context: CommandContext,
  signals: SignalTrap,
): Omit<BuildOptions, 'passthrough'> {
  // yargs gives an option typed with no value the empty string: no directory is not "any".
  if (args.tmpdir === '') throw new UsageError('--tmpdir needs a directory');
  for (const [option, value] of [
    ['--user', args.user],
    ['--service-account', args.serviceAccount],
  ] as const) {
    if (value === undefined) continue;
    throw new UsageError(
      `${option}: builds get organization and project secrets only; user and service-account ` +
        'secrets are for running environments',
    );
  }
  return {
    principal: { org: args.org, project: args.project },
    source: context.openSource(),
    redactor: context.redactor,
    logger: context.logger,
    signals,
    env: context.env,
    stateDir: context.stateDir,
    storeFiles: context.storeFiles,
    stdout: context.stdout,
    stderr: context.stderr,
    stderrIsTty: process.stderr.isTTY === true,
    terminalSize: terminalSize(context.env),
    dryRun: args.dryRun,
    onlyReferenced: args.onlyReferenced,
    allowSecretBuildArgs: args.allowSecretBuildArgs,
    rebuildOnSecretChange: args.rebuildOnSecretChange,
    tmpdir: args.tmpdir ?? context.env.ONA_BUILD_TMPDIR,
    allowDiskSecrets: args.allowDiskSecrets,
    scanLeaks: args.scanLeaks as BuildOptions['scanLeaks'],
  };
}

/**
 * The user's terminal, for the pseudo-terminal of tty progress; with stderr not a terminal (a
 * pipe, an asked-for `--progress=tty`), COLUMNS and LINES, as many command-line tools read them.
 */
function terminalSize(env: NodeJS.ProcessEnv): { columns?: number; rows?: number } {
  if (process.stderr.isTTY) return { columns: process.stderr.columns, rows: process.stderr.rows };
  const number = (text: string | undefined) => (text ? Number(text) : undefined);
  return { columns: number(env.COLUMNS), rows: number(env.LINES) };
}
