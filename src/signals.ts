// Traps SIGINT, SIGTERM and SIGHUP for the lifetime of a build, so cleanup always runs and the
// wrapper exits with 128 + the signal number, as shells expect.
//
// A failed write to stdout or stderr is handled the same way, as SIGPIPE: the reader of a pipe
// went away (`ona-build build | head`) or the disk is full (`> /dev/full`). Node reports it as an
// 'error' event which, unheard, crashes the process before any cleanup: secret files would stay
// on tmpfs and the builder would run on. With a trap in place the build is stopped and cleaned
// up, then the wrapper exits 141; without one (a command with nothing to clean), it exits 141 at
// once.

import os from 'node:os';

export const TRAPPED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type TrappedSignal = (typeof TRAPPED_SIGNALS)[number] | 'SIGPIPE';

export function exitCodeFor(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 0);
}

/** The signal to pass on to a child for `signal`: a lost output stops it like SIGTERM. */
export function forwardedSignal(signal: TrappedSignal): NodeJS.Signals {
  return signal === 'SIGPIPE' ? 'SIGTERM' : signal;
}

let activeTrap: SignalTrap | undefined;
let outputGuarded = false;
let interrupted = false;

/** A trap caught a signal or a lost output during this process: it is being stopped. */
export function wasInterrupted(): boolean {
  return interrupted;
}

/** Makes failed writes to stdout and stderr stop the process cleanly. Called once, at start. */
export function guardOutputStreams(): void {
  if (outputGuarded) return;
  outputGuarded = true;

  process.stdout.on('error', outputLost);
  process.stderr.on('error', outputLost);
}

/** An output could not be written: stop the running build, or exit 141 when there is none. */
export function outputLost(): void {
  if (activeTrap) activeTrap.raise('SIGPIPE');
  else process.exit(exitCodeFor('SIGPIPE'));
}

export class SignalTrap {
  private received: TrappedSignal | undefined;
  private outputLost = false;
  private readonly listeners = new Set<(signal: TrappedSignal) => void>();
  private readonly handler = (signal: NodeJS.Signals): void => this.raise(signal as TrappedSignal);

  constructor() {
    for (const signal of TRAPPED_SIGNALS) process.on(signal, this.handler);
    activate(this);
  }

  /** The first signal received (or SIGPIPE for a lost output), if any. */
  get signal(): TrappedSignal | undefined {
    return this.received;
  }

  /**
   * Acts as if `signal` had been received. A lost output counts once: every later write fails
   * too, and the listeners' own log lines would otherwise raise it again, without end.
   */
  raise(signal: TrappedSignal): void {
    if (signal === 'SIGPIPE' && this.outputLost) return;
    if (signal === 'SIGPIPE') this.outputLost = true;

    this.received ??= signal;
    interrupted = true;
    for (const listener of this.listeners) listener(signal);
  }

  /** Calls `listener` on every trapped signal; returns a function that stops listening. */
  onSignal(listener: (signal: TrappedSignal) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    for (const signal of TRAPPED_SIGNALS) process.off(signal, this.handler);
    this.listeners.clear();
    deactivate(this);
  }
}

// The trap of the running command, which a failed output write is passed to.
function activate(trap: SignalTrap): void {
  activeTrap = trap;
}

function deactivate(trap: SignalTrap): void {
  if (activeTrap === trap) activeTrap = undefined;
}
