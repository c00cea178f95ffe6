import { afterEach, describe, expect, it } from 'vitest';

import { exitCodeFor, forwardedSignal, SignalTrap, type TrappedSignal } from './signals.js';

let trap: SignalTrap | undefined;

afterEach(() => trap?.dispose());

describe('SignalTrap', () => {
  it('takes a lost output as SIGPIPE: exit 141, the builder stopped with SIGTERM', () => {
    trap = new SignalTrap();
    const seen: TrappedSignal[] = [];
    trap.onSignal((signal) => seen.push(signal));

    trap.raise('SIGPIPE');

    expect(trap.signal).toBe('SIGPIPE');
    expect(exitCodeFor(trap.signal!)).toBe(141);
    expect(seen.map(forwardedSignal)).toEqual(['SIGTERM']);
  });

  it('passes a lost output on once, as every later write (its own log lines) fails too', () => {
    trap = new SignalTrap();
    let calls = 0;
    trap.onSignal(() => {
      calls++;
      trap!.raise('SIGPIPE');
    });

    trap.raise('SIGPIPE');
    trap.raise('SIGPIPE');

    expect(calls).toBe(1);
  });

  it('passes on every real signal, and keeps the first for the exit code', () => {
    trap = new SignalTrap();
    const seen: TrappedSignal[] = [];
    trap.onSignal((signal) => seen.push(signal));

    trap.raise('SIGINT');
    trap.raise('SIGINT');
    trap.raise('SIGTERM');

    expect(seen).toEqual(['SIGINT', 'SIGINT', 'SIGTERM']);
    expect(trap.signal).toBe('SIGINT');
    expect(seen.map(forwardedSignal)).toEqual(['SIGINT', 'SIGINT', 'SIGTERM']);
  });
});
