// `ona-build exec-check RUN_DIR COUNT -- DOCKER_ARGS...`: not for people. exec's docker shim runs
// it before each build its command starts; COUNT is how many of the arguments are the build's own
// (the last ones). It exits 0 to let the build go, or refuses it as `ona-build build` would.

import type { Argv } from 'yargs';

import { checkShimBuild } from '../exec-shim/check-build.js';
import { UsageError } from '../errors.js';
import { AS_TYPED } from './as-typed.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'exec-check <run-dir> <count>';
export const describe = false;

export function builder(yargs: Argv) {
  return yargs
    .parserConfiguration({ ...AS_TYPED, 'populate--': true })
    .positional('run-dir', { type: 'string', demandOption: true })
    .positional('count', { type: 'string', demandOption: true });
}

export const handler = withContext<ArgsOf<typeof builder>>((args, context) => {
  const all = ((args as { '--'?: (string | number)[] })['--'] ?? []).map(String);
  const count = /^\d+$/.test(args.count) ? Number(args.count) : NaN;
  if (!Number.isInteger(count) || count > all.length) {
    throw new UsageError("exec-check: COUNT must be how many of the arguments are the build's");
  }

  checkShimBuild(args.runDir, all.slice(all.length - count), context.env, context.logger);
  return Promise.resolve(0);
});
