// yargs' own usage errors, made safe to print. "Unknown argument: X" repeats what was typed, and
// a stray word on the command line may be a secret value typed where it does not belong, so only
// names the user typed as flags (`--x`, `-x`) are repeated; other words are described, not shown.

/** Commands by parent ('' for the top level); the others take arguments of their own. */
const COMMAND_TREE: Readonly<Record<string, readonly string[]>> = {
  '': ['secret', 'build', 'plan', 'devcontainer', 'exec', 'scan', 'gc', 'doctor'],
  secret: ['set', 'list', 'rm', 'resolve'],
  devcontainer: ['build'],
};

/** "secret, build, ... or doctor": the commands under `parent`, as usage errors list them. */
export function listCommands(parent = ''): string {
  const names = COMMAND_TREE[parent];
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Global options that take a value, and so may come before the command with one. */
const GLOBAL_VALUE_OPTIONS = new Set(['--store', '--key-file', '--log-level', '--log-format']);

export function safeUsageMessage(message: string, argv: readonly string[]): string {
  // "Invalid values: Argument: type, Given: "X", Choices: ..." repeats the value given.
  const invalid = /^Invalid values:\s*Argument: ([\w-]+), Given: [\s\S]*?(, Choices: .*)?$/.exec(
    message,
  );
  if (invalid) {
    const choices = invalid[2]?.replace(', Choices:', '; choices:') ?? '';
    return `invalid value for --${invalid[1]} (not repeated here)${choices}`;
  }

  if (message.startsWith('Not enough non-option arguments')) return missingArgument(argv);

  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (!unknown) return message;

  // Everything after a mistyped command is unknown to yargs too; the command is the problem.
  const parent = parentOfUnknownCommand(argv);
  if (parent !== undefined) {
    const what = parent === '' ? 'command' : `${parent} command`;
    return `unknown ${what} (not repeated here): name one of ${listCommands(parent)}`;
  }

  const typedFlags = new Set(argv.filter((arg) => arg.startsWith('-')).map(flagName));
  const names = unknown[1].split(', ');
  const flags = names.filter((name) => typedFlags.has(name)).map((name) => `--${name}`);
  const words = names.length - flags.length;

  const parts: string[] = [];
  if (flags.length > 0)
    parts.push(`unknown option${flags.length > 1 ? 's' : ''} ${flags.join(', ')}`);
  if (words > 0) parts.push(unexpectedArguments(words));
  // `exec --org a --project b sh -c x` reads -c as exec's own option.
  if (argv.includes('exec') && !argv.includes('--')) parts.push('put -- before the command to run');
  return parts.join('; ');
}

// What each command that takes an argument of its own needs, said when none is given.
const MISSING_ARGUMENT: Readonly<Record<string, string>> = {
  'secret set':
    'secret set needs the NAME of the secret (its value comes from stdin or --from-file)',
  'secret rm': 'secret rm needs the NAME of the secret',
  scan: 'scan needs the IMAGE to look in',
  exec: 'exec needs the COMMAND to run, after --',
};

/** yargs' "Not enough non-option arguments: got 0, need at least 1", said for the command. */
function missingArgument(argv: readonly string[]): string {
  const parent = parentOfUnknownCommand(argv);
  if (parent !== undefined && parent !== '') {
    return `unknown ${parent} command (not repeated here): name one of ${listCommands(parent)}`;
  }

  const command = commandPath(argv);
  if (COMMAND_TREE[command] !== undefined) {
    return `name a ${command} command: ${listCommands(command)}`;
  }
  return (
    MISSING_ARGUMENT[command] ?? `${command} needs an argument: see ona-build ${command} --help`
  );
}

/** The commands named at the start of `argv` (`secret set`), global options skipped. */
function commandPath(argv: readonly string[]): string {
  const path: string[] = [];
  let parent = '';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('-')) {
      if (GLOBAL_VALUE_OPTIONS.has(arg) && !arg.includes('=')) i++;
      continue;
    }
    if (!COMMAND_TREE[parent]?.includes(arg)) break;
    path.push(arg);
    parent = arg;
  }
  return path.join(' ');
}

/** Words typed where none belong, counted rather than shown: one may be a secret value. */
export function unexpectedArguments(count: number): string {
  return (
    `${count} unexpected argument${count > 1 ? 's' : ''} (not repeated here: secret values ` +
    'are read from stdin or --from-file, never from the command line)'
  );
}

/**
 * Where a word in command position is not a command: the command it follows ('' at the top).
 * Undefined when all are commands, or when an option other than a global one comes first.
 */
function parentOfUnknownCommand(argv: readonly string[]): string | undefined {
  let parent = '';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('-')) {
      if (!GLOBAL_VALUE_OPTIONS.has(arg.replace(/=.*$/, ''))) return undefined;
      if (!arg.includes('=')) i++;
      continue;
    }
    const commands = COMMAND_TREE[parent];
    if (commands === undefined) return undefined;
    if (!commands.includes(arg)) return parent;
    parent = arg;
  }
  return undefined;
}

function flagName(arg: string): string {
  return arg.replace(/^-+/, '').replace(/=.*$/, '');
}
