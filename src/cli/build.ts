// `ona-build build [docker buildx build options...] CONTEXT`: every option ona-build does not own
// is passed to the builder untouched, in order.

import type { Argv } from 'yargs';

import { runBuild } from '../build/build.js';
import { SignalTrap } from '../signals.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'build [args..]';
export const describe =
  'Build an image with organization and project secrets as BuildKit secret mounts';

export function builder(yargs: Argv) {
  return yargs
    .parserConfiguration({ 'unknown-options-as-args': true })
    .option('org', { type: 'string', demandOption: true, describe: 'Organization' })
    .option('project', { type: 'string', demandOption: true, describe: 'Project' })
    .option('dry-run', {
      type: 'boolean',
      describe: 'Print the plan (secret ids, scopes, files, registries, argv; never values)',
    })
    .option('tmpdir', {
      type: 'string',
      describe: 'Directory for secret files; must be a tmpfs [env ONA_BUILD_TMPDIR]',
    })
    .option('rebuild-on-secret-change', {
      type: 'boolean',
      describe: 'Rebuild stages that mount secrets changed since the last build (else warn)',
    })
    .option('allow-disk-secrets', {
      type: 'boolean',
      describe: 'Allow secret files on a filesystem that is not tmpfs',
    })
    .positional('args', {
      type: 'string',
      array: true,
      describe: 'docker buildx build options and the build context',
    })
    .example('$0 build --org acme --project web -t web:dev .', 'build ./Dockerfile');
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  const signals = new SignalTrap();
  try {
    return await runBuild({
      principal: { org: args.org, project: args.project },
      passthrough: [...(args.args ?? []), ...afterDoubleDash(args._)],
      source: context.openSource(),
      redactor: context.redactor,
      logger: context.logger,
      signals,
      env: context.env,
      stateDir: context.stateDir,
      stdout: context.stdout,
      stderr: context.stderr,
      dryRun: args.dryRun,
      tmpdir: args.tmpdir ?? context.env.ONA_BUILD_TMPDIR,
      allowDiskSecrets: args.allowDiskSecrets,
      rebuildOnSecretChange: args.rebuildOnSecretChange,
    });
  } finally {
    signals.dispose();
  }
});

/** yargs leaves what follows `--` in `_` after the command name. */
function afterDoubleDash(rest: readonly (string | number)[]): string[] {
  return rest.slice(1).map(String);
}
