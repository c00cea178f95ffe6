// `ona-build secret resolve`: the effective set a principal gets, with provenance: which scope
// each secret comes from and what it overrode. Each secret is authenticated as a build would
// (its metadata is bound to its ciphertext), so altered metadata fails here too; values are
// never shown and are wiped once checked. `secret list`, the inventory, reads metadata alone, so
// that a damaged secret can still be found and removed.

import type { Argv } from 'yargs';

import type { Secret, SecretMeta } from '../secrets/model.js';
import { resolvePrecedence } from '../secrets/precedence.js';
import { scopesFor } from '../secrets/resolve.js';
import { describeScope } from '../secrets/validate.js';
import { targetOf, toJson } from './secret-list.js';
import { formatTable } from './table.js';
import { withContext, type ArgsOf } from './run-command.js';
import { scopeOptions } from './scope-options.js';

export const command = 'resolve';
export const describe =
  'Show the effective secrets and where each comes from (builds: organization + project)';

export function builder(yargs: Argv) {
  return scopeOptions(yargs).option('json', { type: 'boolean', describe: 'Print JSON' });
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  const purpose = args.user || args.serviceAccount ? 'environment' : 'build';
  const scopes = scopesFor(args, purpose);
  const metas = withoutValues(await context.openSource().read(scopes));
  if (metas.length === 0) {
    // As secret list says it: an empty set is most often a mistyped --org or --project.
    context.logger.info(`no secrets are stored for ${scopes.map(describeScope).join(' or ')}`);
  }
  const { secrets, overrides } = resolvePrecedence(metas);

  const overridden = (name: string) =>
    overrides
      .filter((o) => o.winner.name === name)
      .map((o) => ({
        name: o.loser.name,
        scope: describeScope(o.loser.scope),
        // "same name", or what both target: "same env", "same file", "same registry".
        reason: o.reason === 'name' ? 'name' : o.winner.type,
      }));

  if (args.json) {
    const body = secrets.map((s) => ({ ...toJson(s), overrides: overridden(s.name) }));
    context.stdout.write(`${JSON.stringify({ purpose, secrets: body }, null, 2)}\n`);
    return;
  }

  const rows = secrets.map((s) => [
    s.name,
    s.type,
    describeScope(s.scope),
    targetOf(s),
    overridden(s.name)
      .map((o) => `${o.name} (${o.scope}, same ${o.reason})`)
      .join(', '),
  ]);
  context.stdout.write(formatTable(['NAME', 'TYPE', 'FROM', 'TARGET', 'OVERRIDES'], rows));
});

function withoutValues(secrets: readonly Secret[]): SecretMeta[] {
  return secrets.map(({ value, ...meta }) => {
    value.fill(0);
    return meta;
  });
}
