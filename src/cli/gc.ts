// `ona-build gc`: removes run directories left by runs that were killed before cleaning up.

import fs from 'node:fs';

import type { Argv } from 'yargs';

import { UsageError } from '../errors.js';

import { knownRoots, knownRootsFile } from '../materialize/known-roots.js';
import { sweepStaleRunDirs } from '../materialize/sweep.js';
import { candidateRoots } from '../materialize/temp-root.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'gc';
export const describe =
  'Remove what killed runs left behind (only when their process is gone), stopping the ' +
  'builders and commands they left running';

export function builder(yargs: Argv) {
  return yargs.option('tmpdir', { type: 'string', describe: 'Also sweep this directory' });
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  const roots = candidateRoots({ env: context.env, allowDisk: true });
  if (args.tmpdir !== undefined) roots.push(existingDirectory(args.tmpdir));
  if (context.env.ONA_BUILD_TMPDIR) roots.push(context.env.ONA_BUILD_TMPDIR);
  // The explicit roots earlier runs used, wherever their stores are.
  roots.push(...knownRoots(knownRootsFile(context.env)));

  const { removed, kept } = sweepStaleRunDirs(roots);
  for (const dir of removed) context.stdout.write(`removed ${dir}\n`);
  context.logger.info(`removed ${removed.length}, kept ${kept.length} in use`);
  return Promise.resolve();
});

/** A mistyped --tmpdir would otherwise sweep nothing and say all is well. */
function existingDirectory(dir: string): string {
  if (dir === '') throw new UsageError('--tmpdir needs a directory');
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`--tmpdir ${dir} is not a directory`);
  }
  return dir;
}
