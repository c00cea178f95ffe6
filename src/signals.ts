// Traps SIGINT, SIGTERM and SIGHUP for the lifetime of a build, so cleanup always runs and the
// wrapper exits with 128 + the signal number, as shells expect.

import os from 'node:os';

export const TRAPPED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type TrappedSignal = (typeof TRAPPED_SIGNALS)[number];

export function exitCodeFor(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 0);
}

export class SignalTrap {
  private received: TrappedSignal | undefined;
  private readonly listeners = new Set<(signal: TrappedSignal) => void>();
  private readonly handler = (signal: NodeJS.Signals): void => {
    this.received ??= signal as TrappedSignal;
    for (const listener of this.listeners) listener(signal as TrappedSignal);
  };

  constructor() {
    for (const signal of TRAPPED_SIGNALS) process.on(signal, this.handler);
  }

  /** The first signal received, if any. */
  get signal(): TrappedSignal | undefined {
    return this.received;
  }

  /** Calls `listener` on every trapped signal; returns a function that stops listening. */
  onSignal(listener: (signal: TrappedSignal) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    for (const signal of TRAPPED_SIGNALS) process.off(signal, this.handler);
    this.listeners.clear();
  }
}
