// `ona-build secret rm NAME`: removes one secret from one scope.

import type { Argv } from 'yargs';

import { SecretError } from '../errors.js';
import { describeScope, validateName } from '../secrets/validate.js';
import { withContext, type ArgsOf } from './run-command.js';
import { scopeOptions, targetScope } from './scope-options.js';

export const command = 'rm <name>';
export const describe = 'Remove a secret from one scope';

export function builder(yargs: Argv) {
  return scopeOptions(yargs).positional('name', {
    type: 'string',
    demandOption: true,
    describe: 'Secret name',
  });
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  const scope = targetScope(args);
  // Checked first, so a mistyped `NAME=VALUE` is refused without being repeated.
  validateName(args.name);
  const removed = await context.openSource().remove(scope, args.name);
  if (!removed) {
    throw new SecretError(`no secret ${args.name} in ${describeScope(scope)}`, 'NOT_FOUND');
  }
  context.logger.info(`removed ${args.name} (${describeScope(scope)})`);
});
