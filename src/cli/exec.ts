// `ona-build exec --org O --project P -- COMMAND...`: any command, with the build's secrets and
// registry auth in place for every docker build it runs.

import type { Argv } from 'yargs';

import { runExec } from '../build/exec-command.js';
import { refuseInsideExec } from '../build/nesting.js';
import { SignalTrap } from '../signals.js';
import { AS_TYPED } from './as-typed.js';
import { toBuildOptions } from './build-options.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'exec';
export const describe =
  'Run a command whose docker builds get organization and project secrets (after --)';

export function builder(yargs: Argv) {
  return yargs
    .parserConfiguration({ ...AS_TYPED, 'populate--': true })
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
  refuseInsideExec(context.env, 'ona-build exec');
  const signals = new SignalTrap();
  const rest = args as { _: (string | number)[]; '--'?: (string | number)[] };
  try {
    return await runExec({
      ...toBuildOptions(args, context, signals),
      command: [...rest._.slice(1), ...(rest['--'] ?? [])].map(String),
      selfCommand: [process.execPath, process.argv[1]],
    });
  } finally {
    signals.dispose();
  }
});
