// `ona-build secret list`: names, types, scopes and targets; never values.

import type { Argv } from 'yargs';

import type { SecretMeta } from '../secrets/model.js';
import { describeScope } from '../secrets/validate.js';
import { formatTable } from './table.js';
import { withContext, type ArgsOf } from './run-command.js';
import { listedScopes, scopeOptions } from './scope-options.js';

export const command = 'list';
export const describe = 'List secrets in the organization and the scopes named (no values)';

export function builder(yargs: Argv) {
  return scopeOptions(yargs).option('json', { type: 'boolean', describe: 'Print JSON' });
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  const scopes = listedScopes(args);
  const secrets = await context.openSource().list(scopes);
  if (secrets.length === 0) {
    // On stderr, so the listing itself stays what scripts read: most often a mistyped --org.
    context.logger.info(`no secrets are stored for ${scopes.map(describeScope).join(' or ')}`);
  }

  if (args.json) {
    context.stdout.write(`${JSON.stringify(secrets.map(toJson), null, 2)}\n`);
    return;
  }
  const rows = secrets.map((s) => [describeScope(s.scope), s.name, s.type, targetOf(s)]);
  context.stdout.write(formatTable(['SCOPE', 'NAME', 'TYPE', 'TARGET'], rows));
});

export function targetOf(secret: SecretMeta): string {
  if (secret.type === 'file') return secret.mount ?? '';
  if (secret.type === 'registry') return `${secret.registry?.username}@${secret.registry?.host}`;
  if (secret.type === 'env') return `$${secret.name}`;
  return '';
}

export function toJson(secret: SecretMeta): Record<string, unknown> {
  return {
    name: secret.name,
    type: secret.type,
    scope: secret.scope,
    // What the table's TARGET column shows: the variable, the file, or the registry.
    env: secret.type === 'env' ? secret.name : undefined,
    mount: secret.mount,
    registry: secret.registry,
    updatedAt: secret.updatedAt,
  };
}
