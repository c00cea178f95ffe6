import { describe, expect, it } from 'vitest';

import { safeUsageMessage } from './usage-message.js';

describe('safeUsageMessage', () => {
  it('says to put -- before the command of exec, whose options it took as its own', () => {
    const argv = ['exec', '--org', 'a', '--project', 'p', 'sh', '-c', 'echo hi'];

    expect(safeUsageMessage('Unknown arguments: c, sh, echo hi', argv)).toBe(
      'unknown option --c; 2 unexpected arguments (not repeated here: secret values are read ' +
        'from stdin or --from-file, never from the command line); put -- before the command to run',
    );
  });

  it('repeats a mistyped flag', () => {
    const argv = ['secret', 'rm', 'X', '--org', 'a', '--projet', 'web'];
    expect(safeUsageMessage('Unknown argument: projet', argv)).toBe('unknown option --projet');
  });

  it('never repeats a bare word, which may be a secret value', () => {
    const argv = ['secret', 'set', 'FOO', 'hunter2secret', '--org', 'a'];
    const message = safeUsageMessage('Unknown argument: hunter2secret', argv);

    expect(message).not.toContain('hunter2secret');
    expect(message).toContain('1 unexpected argument');
  });

  it('handles flags and words together', () => {
    const argv = ['gc', 'v4lue', '--bad=1'];
    expect(safeUsageMessage('Unknown arguments: v4lue, bad', argv)).toBe(
      'unknown option --bad; 1 unexpected argument (not repeated here: secret values are read ' +
        'from stdin or --from-file, never from the command line)',
    );
  });

  it.each([
    [
      ['biuld', '--org', 'o', '.'],
      'unknown command (not repeated here): name one of secret, build',
    ],
    [
      ['--store', 's.db', 'xyzzy'],
      'unknown command (not repeated here): name one of secret, build',
    ],
    [
      ['secret', 'xyzzy', '--org', 'o'],
      'unknown secret command (not repeated here): name one of set',
    ],
  ])('names a mistyped command as the problem, without repeating it: %j', (argv, message) => {
    const text = safeUsageMessage(`Unknown arguments: ${argv.join(', ')}`, argv);

    expect(text).toContain(message);
    expect(text).not.toMatch(/biuld|xyzzy/);
  });

  const NOT_ENOUGH = 'Not enough non-option arguments: got 0, need at least 1';

  it.each([
    [['secret', 'set', '--org', 'a'], 'secret set needs the NAME of the secret'],
    [['--log-level', 'debug', 'secret', 'rm', '--org', 'a'], 'secret rm needs the NAME'],
    [['scan', '--org', 'a'], 'scan needs the IMAGE to look in'],
    [['devcontainer'], 'name a devcontainer command: build'],
    [['devcontainer', 'up'], 'unknown devcontainer command (not repeated here): name one of build'],
  ])('names what %j is missing', (argv, message) => {
    expect(safeUsageMessage(NOT_ENOUGH, argv)).toContain(message);
  });

  it('passes other messages through', () => {
    expect(safeUsageMessage('Missing required argument: org', [])).toBe(
      'Missing required argument: org',
    );
  });

  it('does not repeat a value yargs refused as not one of the choices', () => {
    const message =
      'Invalid values:\n  Argument: type, Given: "hunter2-value", Choices: "env", "file"';

    const safe = safeUsageMessage(message, ['--type', 'hunter2-value']);

    expect(safe).toBe('invalid value for --type (not repeated here); choices: "env", "file"');
  });
});
