// yargs' own usage errors, made safe to print. "Unknown argument: X" repeats what was typed, and
// a stray word on the command line may be a secret value typed where it does not belong, so only
// names the user typed as flags (`--x`, `-x`) are repeated; other words are described, not shown.

export function safeUsageMessage(message: string, argv: readonly string[]): string {
  // "Invalid values: Argument: type, Given: "X", Choices: ..." repeats the value given.
  const invalid = /^Invalid values:\s*Argument: ([\w-]+), Given: [\s\S]*?(, Choices: .*)?$/.exec(
    message,
  );
  if (invalid) return `invalid value for --${invalid[1]} (not repeated here)${invalid[2] ?? ''}`;

  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (!unknown) return message;

  const typedFlags = new Set(argv.filter((arg) => arg.startsWith('-')).map(flagName));
  const names = unknown[1].split(', ');
  const flags = names.filter((name) => typedFlags.has(name)).map((name) => `--${name}`);
  const words = names.length - flags.length;

  const parts: string[] = [];
  if (flags.length > 0)
    parts.push(`unknown option${flags.length > 1 ? 's' : ''} ${flags.join(', ')}`);
  if (words > 0) parts.push(unexpectedArguments(words));
  return parts.join('; ');
}

/** Words typed where none belong, counted rather than shown: one may be a secret value. */
export function unexpectedArguments(count: number): string {
  return (
    `${count} unexpected argument${count > 1 ? 's' : ''} (not repeated here: secret values ` +
    'are read from stdin or --from-file, never from the command line)'
  );
}

function flagName(arg: string): string {
  return arg.replace(/^-+/, '').replace(/=.*$/, '');
}
