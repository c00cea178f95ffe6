import { PassThrough } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import { Logger } from '../log.js';
import { Redactor } from '../redact/index.js';
import { SignalTrap } from '../signals.js';
import { runBuilder } from './run-builder.js';

let signals: SignalTrap | undefined;

afterEach(() => signals?.dispose());

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runBuilder', () => {
  it('kills a builder that ignores the forwarded signal once the bound has passed', async () => {
    signals = new SignalTrap();
    const lines: string[] = [];
    const redactor = new Redactor();
    const sink = { write: (text: string) => lines.push(text) };
    const logger = new Logger({ level: 'info', format: 'text', redactor, sink });
    const stdout = new PassThrough();
    let pid = 0;
    stdout.on('data', () => signals?.raise('SIGTERM'));

    // The shell and the sleep it starts both ignore SIGTERM (an ignored signal stays ignored
    // across exec): only the SIGKILL after the bound can end them.
    const started = Date.now();
    const result = await runBuilder({
      argv: ['sh', '-c', "trap '' TERM; echo started; exec sleep 30"],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      redactor,
      stdout,
      stderr: new PassThrough(),
      signals,
      logger,
      killAfterMs: 300,
      onSpawn: (spawned) => (pid = spawned),
    });

    expect(result.signal).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(lines.join('')).toContain('the builder did not stop in time: killing it');
    expect(isAlive(pid)).toBe(false);
  });
});
