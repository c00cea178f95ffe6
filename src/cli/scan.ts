// `ona-build scan IMAGE`: looks for the organization's and project's secret values, and their
// encoded forms, in an image's layers, config and history. Exit 8 when any is found.

import type { Argv } from 'yargs';

import { LeakFoundError, SecretError } from '../errors.js';
import type { Logger } from '../log.js';
import { maskSourcesOf } from '../secrets/mask-sources.js';
import type { Secret } from '../secrets/model.js';
import { scopesFor, type Principal } from '../secrets/resolve.js';
import { describeScope } from '../secrets/validate.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'scan <image>';
export const describe = 'Scan an image in the engine for secret values (exit 8 when found)';

export function builder(yargs: Argv) {
  return yargs
    .positional('image', { type: 'string', demandOption: true, describe: 'Image name or id' })
    .option('org', { type: 'string', demandOption: true, describe: 'Organization' })
    .option('project', { type: 'string', describe: 'Project' })
    .option('json', { type: 'boolean', describe: 'Print the report as JSON' });
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  const principal = { org: args.org, project: args.project };
  // Every value the scopes hold, those precedence drops included: an image can hold any of them.
  const secrets = await context.openSource().read(scopesFor(principal, 'build'));
  refuseEmptyScopes(principal, secrets);
  warnEmptyProject(principal, secrets, context.logger);
  context.redactor.add(maskSourcesOf(secrets));

  const scan = await import('../scan/index.js');
  const report = await scan.scanImage({
    image: args.image,
    env: context.env,
    secrets: secrets.map((s) => ({
      name: s.name,
      scope: s.scope,
      value: s.value,
      registryUser: s.registry?.username,
    })),
  });

  const text = args.json ? scan.formatReportJson(report) : scan.formatReport(report).join('\n');
  context.stdout.write(`${context.redactor.redact(text)}\n`);
  if (report.findings.length > 0) {
    throw new LeakFoundError(`${args.image} holds secret values (${report.findings.length} found)`);
  }
});

/**
 * "No leaks found" would be true and worthless when there is nothing to look for: a mistyped
 * --org must not pass a CI check.
 */
function refuseEmptyScopes(principal: Principal, secrets: readonly Secret[]): void {
  if (secrets.length > 0) return;

  const scopes = scopesFor(principal, 'build').map(describeScope);
  const verb = scopes.length === 1 ? 'holds' : 'hold';
  throw new SecretError(
    `no secrets to look for: ${scopes.join(', ')} ${verb} none`,
    'SCAN_NOTHING',
  );
}

/**
 * A project without secrets of its own is fine (its builds get the organization's, which are
 * looked for), but it may be a mistyped --project: say so, as the result covers less than meant.
 */
function warnEmptyProject(principal: Principal, secrets: readonly Secret[], logger: Logger): void {
  if (principal.project === undefined || secrets.some((s) => s.scope.kind === 'project')) return;

  const [org, project] = scopesFor(principal, 'build').map(describeScope);
  logger.warn(
    `${project} holds no secrets: only those of ${org} are looked for (is --project right?)`,
  );
}
