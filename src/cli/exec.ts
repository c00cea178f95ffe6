// `ona-build exec --org O --project P -- COMMAND...`: any command, with the build's secrets and
// registry auth in place for every docker build it runs.

import type { Argv } from 'yargs';

import { runExec } from '../build/exec-command.js';
import { SignalTrap } from '../signals.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'exec';
export const describe =
  'Run a command whose docker builds get organization and project secrets (after --)';

export function builder(yargs: Argv) {
  return yargs
    .parserConfiguration({ 'populate--': true })
    .option('org', { type: 'string', demandOption: true, describe: 'Organization' })
    .option('project', { type: 'string', demandOption: true, describe: 'Project' })
    .option('tmpdir', { type: 'string', describe: 'Directory for secret files; must be a tmpfs' })
    .option('allow-disk-secrets', {
      type: 'boolean',
      describe: 'Allow secret files on a filesystem that is not tmpfs',
    })
    .example('$0 exec --org acme --project web -- devcontainer build --workspace-folder .', '');
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  const signals = new SignalTrap();
  const rest = args as { _: (string | number)[]; '--'?: (string | number)[] };
  try {
    return await runExec({
      principal: { org: args.org, project: args.project },
      command: [...rest._.slice(1), ...(rest['--'] ?? [])].map(String),
      source: context.openSource(),
      redactor: context.redactor,
      logger: context.logger,
      signals,
      env: context.env,
      stateDir: context.stateDir,
      stdout: context.stdout,
      stderr: context.stderr,
      tmpdir: args.tmpdir ?? context.env.ONA_BUILD_TMPDIR,
      allowDiskSecrets: args.allowDiskSecrets,
    });
  } finally {
    signals.dispose();
  }
});
