// `ona-build secret set NAME`: stores a secret; the value comes from stdin or --from-file.

import type { Argv } from 'yargs';

import { SecretError, UsageError } from '../errors.js';
import { trimAsciiSpace } from '../redact/ascii.js';
import {
  SECRET_TYPES,
  type RegistryTarget,
  type SecretMeta,
  type SecretType,
} from '../secrets/model.js';
import { compareNames, mountKey } from '../secrets/precedence.js';
import {
  DOCKER_HUB_KEY,
  isValidRegistryHost,
  normalizeRegistryHost,
} from '../secrets/registry-host.js';
import { isStartupVariable } from '../secrets/startup-variables.js';
import type { SecretSource } from '../secrets/source.js';
import { describeScope, validateSecret } from '../secrets/validate.js';
import { unexpectedArguments } from './usage-message.js';
import type { CommandContext } from './context.js';
import { withContext, type ArgsOf } from './run-command.js';
import { readSecretValue } from './read-value.js';
import { scopeOptions, targetScope } from './scope-options.js';
import { maskStoredValues, withOrganization } from './stored-values.js';

export const command = 'set <name>';
export const describe = 'Store a secret (value from stdin or --from-file, never from argv)';

const options = {
  type: { choices: SECRET_TYPES, describe: 'Secret type (default: env, file with --mount, ...)' },
  mount: { type: 'string', describe: 'Absolute path in the container, for file secrets' },
  registry: { type: 'string', describe: 'Registry host, for registry secrets (docker.io = Hub)' },
  username: { type: 'string', describe: 'Registry username, for registry secrets' },
  'identity-token': {
    type: 'boolean',
    describe: 'The value is a registry identity (refresh) token, as `az acr login` stores',
  },
  'from-file': { type: 'string', describe: 'Read the value from this file' },
  'allow-empty': {
    type: 'boolean',
    describe: 'Store an empty or blank value (refused without it: an unset variable, most often)',
  },
} as const;

export function builder(yargs: Argv) {
  return scopeOptions(yargs)
    .positional('name', { type: 'string', demandOption: true, describe: 'Secret name' })
    .options(options);
}

type Args = ArgsOf<typeof builder>;

export const handler = withContext<Args>(async (args, context) => {
  // yargs lets words after `--` through, even under strict(): `secret set X -- VALUE`.
  const extra = args._.length - 2;
  if (extra > 0) throw new UsageError(unexpectedArguments(extra));

  const scope = targetScope(args);
  if (args.mount !== undefined && args.registry !== undefined) {
    throw new UsageError(
      'give --mount (a file secret) or --registry (a registry secret), not both',
    );
  }
  const type = inferType(args);
  const registry = registryTarget(type, args);
  if (args.mount !== undefined && type !== 'file') {
    throw new UsageError('--mount only applies to file secrets');
  }

  const label = `secret ${args.name} (${describeScope(scope)})`;
  const value = await readSecretValue(label, args.fromFile, process.stdin, context.stderr);
  if (!args.allowEmpty) refuseBlank(value, label);
  const skipped = context.redactor.add([
    { id: args.name, value, registryUser: registry?.username },
  ]);

  const stored = { name: args.name, type, scope, mount: args.mount, registry };
  // Before the store is opened: a refused secret must not leave a new store and key behind.
  validateSecret({ ...stored, value });
  const source = context.openOrCreateSource();
  await refuseValueAsName(source, stored, context);
  const before = (await source.list([scope])).find((meta) => meta.name === args.name);
  await source.put({ ...stored, value });
  context.logger.info(storedMessage(before?.type, type, label));
  warnSameMount(stored, await source.list([scope]), label, context);
  if (type === 'env' && isStartupVariable(args.name)) {
    context.logger.warn(
      `${label}: programs read ${args.name} as configuration when they start; every process of ` +
        'a running environment gets it',
    );
  }
  if (value.length === 0) {
    context.logger.warn(
      `${label} is empty (was the input empty?); BuildKit mounts no file for an empty secret`,
    );
  } else if (skipped.length > 0) {
    context.logger.warn(`${label} is too short to be masked in build output; use a longer value`);
  }
});

/** A name that holds a value stored where this secret goes: a value typed in the name's place. */
async function refuseValueAsName(
  source: SecretSource,
  stored: SecretMeta,
  context: CommandContext,
): Promise<void> {
  const values = await maskStoredValues(source, withOrganization(stored.scope), context.redactor);
  if (!values.holdsSecret(stored.name)) return;
  throw new SecretError(
    `the name of the secret to store (not repeated here) holds a stored secret's value, in ` +
      `${describeScope(stored.scope)} or its organization: was a value typed in its place?`,
    'NAME_IS_VALUE',
  );
}

/**
 * `printf '%s' "$TOKEN" | ona-build secret set ...` with TOKEN unset (a CI typo) gives an empty
 * value, `echo` a line break alone: stored, it would replace a good value with nothing.
 */
function refuseBlank(value: Buffer, label: string): void {
  if (trimAsciiSpace(value).length > 0) return;
  const what = value.length === 0 ? 'empty' : 'blank (whitespace only)';
  throw new SecretError(
    `${label}: the value is ${what}, so nothing was stored (was a variable piped in unset?); ` +
      'pass --allow-empty to store it',
    'BLANK_VALUE',
  );
}

/** `stored env secret X (...)`, or `replaced ...`, saying so when the type changes too. */
function storedMessage(previous: SecretType | undefined, type: SecretType, label: string): string {
  if (previous === undefined) return `stored ${type} ${label}`;
  if (previous === type) return `replaced ${type} ${label}`;
  const article = /^[aeiou]/.test(type) ? 'an' : 'a';
  return `replaced ${previous} ${label} with ${article} ${type} secret`;
}

/**
 * Two secrets of one scope with one target (file path or registry host) cannot both apply: the
 * name that sorts first wins, as precedence.ts decides. Said now, not only at the next build.
 */
function warnSameMount(
  stored: SecretMeta,
  inScope: readonly SecretMeta[],
  label: string,
  context: CommandContext,
): void {
  const key = mountKey(stored);
  if (key === undefined) return;

  const others = inScope.filter((meta) => meta.name !== stored.name && mountKey(meta) === key);
  if (others.length === 0) return;
  const first = [stored, ...others].sort(compareNames)[0].name;
  const [what, target] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  const rivals = others.map(({ name }) => name).join(', ');
  context.logger.warn(
    `${label} targets the same ${what} (${target}) as ${rivals} in that scope: only ` +
      `${first}, the name that sorts first, is used`,
  );
}

function inferType(args: Args): SecretType {
  if (args.type) return args.type;
  if (args.registry !== undefined) return 'registry';
  if (args.mount !== undefined) return 'file';
  return 'env';
}

function registryTarget(type: SecretType, args: Args): RegistryTarget | undefined {
  if (type !== 'registry') {
    if (args.registry !== undefined || args.username !== undefined) {
      throw new UsageError('--registry and --username only apply to registry secrets');
    }
    if (args.identityToken) {
      throw new UsageError('--identity-token only applies to registry secrets');
    }
    return undefined;
  }
  if (!args.registry || !args.username) {
    throw new UsageError('a registry secret needs --registry HOST and --username USER');
  }

  const host = normalizeRegistryHost(args.registry);
  const withoutScheme = args.registry.replace(/^https?:\/\//i, '');
  const hasPath = /^[^/]+\/./.test(withoutScheme) && host !== DOCKER_HUB_KEY;
  // `https://user:token@host` is a URL with credentials in it: never repeated.
  if (args.registry.includes('@')) {
    throw new UsageError(
      'invalid registry host (not repeated here: it holds user@ or user:password@): give HOST ' +
        'or HOST:PORT, the user with --username and the password on stdin',
    );
  }
  if (!isValidRegistryHost(host) || hasPath) {
    throw new UsageError(
      `invalid registry host ${JSON.stringify(args.registry)}: give HOST or HOST:PORT, no path`,
    );
  }
  return { host, username: args.username, kind: args.identityToken ? 'identity' : 'basic' };
}
