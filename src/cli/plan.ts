// `ona-build plan [docker buildx build options...] CONTEXT`: what `build` would do, with the
// Dockerfile analysis, as text or --json, without writing or running anything.

import type { Argv } from 'yargs';

import { runBuild } from '../build/build.js';
import { SignalTrap } from '../signals.js';
import { afterDoubleDash } from './build.js';
import { buildOptions, toBuildOptions } from './build-options.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'plan [args..]';
export const describe = 'Show what build would do: secrets, mounts, registries, argv (no values)';

export function builder(yargs: Argv) {
  return buildOptions(yargs)
    .hide('dry-run')
    .hide('scan-leaks')
    .hide('rebuild-on-secret-change')
    .option('json', { type: 'boolean', describe: 'Print JSON' })
    .positional('args', { type: 'string', array: true, describe: 'build options and context' });
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  const signals = new SignalTrap();
  try {
    return await runBuild({
      ...toBuildOptions(args, context, signals),
      dryRun: true,
      planFormat: args.json ? 'json' : 'text',
      passthrough: [...(args.args ?? []), ...afterDoubleDash(args._)],
    });
  } finally {
    signals.dispose();
  }
});
