// `ona-build build [docker buildx build options...] CONTEXT`: every option ona-build does not own
// is passed to the builder untouched, in order.

import type { Argv } from 'yargs';

import { runBuild } from '../build/build.js';
import { refuseInsideExec } from '../build/nesting.js';
import { SignalTrap } from '../signals.js';
import { buildOptions, toBuildOptions } from './build-options.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'build [args..]';
export const describe =
  'Build an image with organization and project secrets as BuildKit secret mounts';

export function builder(yargs: Argv) {
  return buildOptions(yargs)
    .positional('args', {
      type: 'string',
      array: true,
      describe: 'docker buildx build options and the build context',
    })
    .example('$0 build --org acme --project web -t web:dev .', 'build ./Dockerfile');
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  if (!args.dryRun) refuseInsideExec(context.env, 'ona-build build');
  const signals = new SignalTrap();
  try {
    return await runBuild({
      ...toBuildOptions(args, context, signals),
      passthrough: [...(args.args ?? []), ...afterDoubleDash(args._)],
    });
  } finally {
    signals.dispose();
  }
});

/** yargs leaves what follows `--` in `_` after the command name. */
export function afterDoubleDash(rest: readonly (string | number)[]): string[] {
  return rest.slice(1).map(String);
}
