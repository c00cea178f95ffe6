// `ona-build secret rm NAME`: removes one secret from one scope.

import type { Argv } from 'yargs';

import { SecretError } from '../errors.js';
import type { Scope } from '../secrets/model.js';
import type { SecretSource } from '../secrets/source.js';
import { describeScope, validateName } from '../secrets/validate.js';
import { withContext, type ArgsOf } from './run-command.js';
import { maskStoredValues, withOrganization } from './stored-values.js';
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
  const source = context.openSource();
  const removed = await source.remove(scope, args.name);
  if (!removed) {
    // Before the name is repeated: it may be a value typed in its place.
    await maskStoredValues(source, withOrganization(scope), context.redactor);
    const hint = (await inOrganization(source, scope, args.name)) ? orgHint(scope) : '';
    throw new SecretError(`no secret ${args.name} in ${describeScope(scope)}${hint}`, 'NOT_FOUND');
  }
  context.logger.info(`removed ${args.name} (${describeScope(scope)})`);
});

/**
 * Whether a narrower scope's missing secret is the organization's: the usual mix-up, as builds
 * show organization and project secrets together. Other projects and users are not looked at,
 * as their names are theirs.
 */
async function inOrganization(source: SecretSource, scope: Scope, name: string): Promise<boolean> {
  if (scope.kind === 'organization') return false;
  const org: Scope = { kind: 'organization', org: scope.org, owner: scope.org };
  return (await source.list([org])).some((meta) => meta.name === name);
}

function orgHint(scope: Scope): string {
  return `; organization ${scope.org} has one (leave out --${scope.kind} to remove it)`;
}
