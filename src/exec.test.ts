import { afterEach, describe, expect, it, vi } from 'vitest';

import { OnaBuildError } from './errors.js';
import { assertNothingSecret, spawnChecked } from './exec.js';
import { Logger, type LogFormat, type LogLevel } from './log.js';
import { Redactor } from './redact/index.js';

const VALUE = 'exec-test-value-4f1c9a';

function guardWith(value: string): Redactor {
  const redactor = new Redactor();
  redactor.add([{ id: 'TOKEN', value: Buffer.from(value) }]);
  return redactor;
}

function logger(level: LogLevel, format: LogFormat) {
  const lines: string[] = [];
  const sink = { write: (text: string) => lines.push(...text.split('\n').filter(Boolean)) };
  return { lines, logger: new Logger({ level, format, redactor: new Redactor(), sink }) };
}

afterEach(() => vi.restoreAllMocks());

describe('assertNothingSecret', () => {
  it('refuses a value in argv, naming the position and never the value', () => {
    const run = () =>
      assertNothingSecret('/bin/echo', ['ok', `--x=${VALUE}`], {}, guardWith(VALUE));

    expect(run).toThrow(OnaBuildError);
    expect(run).toThrow('argv[2] would carry a secret value');
    expect(run).not.toThrow(VALUE);
  });

  it('refuses a value in the environment, naming the variable', () => {
    const env = { PATH: '/usr/bin', LEAKY: `prefix ${VALUE}` };

    expect(() => assertNothingSecret('/bin/true', [], env, guardWith(VALUE))).toThrow(
      'env LEAKY would carry a secret value',
    );
  });

  it("lets through only variables carrying a secret on purpose (a user's --secret)", () => {
    const env = { GITHUB_TOKEN: VALUE, LEAKY: VALUE };
    const guard = guardWith(VALUE);

    expect(() => assertNothingSecret('/bin/true', [], env, guard, ['GITHUB_TOKEN'])).toThrow(
      'env LEAKY would carry a secret value',
    );
    const { GITHUB_TOKEN } = env;
    expect(() =>
      assertNothingSecret('/bin/true', [], { GITHUB_TOKEN }, guard, ['GITHUB_TOKEN']),
    ).not.toThrow();
    expect(() =>
      assertNothingSecret('/bin/true', [VALUE], { GITHUB_TOKEN }, guard, ['GITHUB_TOKEN']),
    ).toThrow('argv[1] would carry a secret value');
  });

  it('lets a clean command through', () => {
    expect(() =>
      assertNothingSecret('/bin/true', ['a'], { PATH: '/usr/bin' }, guardWith(VALUE)),
    ).not.toThrow();
  });
});

describe('spawnChecked', () => {
  it('logs the command and how it ended through the logger, as JSON lines', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const { lines, logger: log } = logger('debug', 'json');

    const result = await spawnChecked('/bin/sh', ['-c', 'exit 3'], {
      env: {},
      guard: new Redactor(),
      logger: log,
    });

    expect(result.exitCode).toBe(3);
    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((event) => event.message)).toEqual([
      'running',
      'the command failed',
      'the command ended',
    ]);
    expect(events[0].command).toBe("/bin/sh -c 'exit 3'");
    expect(typeof events[2].ms).toBe('number');
    // execa printed nothing of its own.
    expect(stderr).not.toHaveBeenCalled();
  });

  it('logs nothing below debug level', async () => {
    const { lines, logger: log } = logger('info', 'text');

    await spawnChecked('/bin/true', [], { env: {}, guard: new Redactor(), logger: log });

    expect(lines).toEqual([]);
  });
});
