// Runs the builder in its own process group, streams its output through the redactor, forwards
// SIGINT/SIGTERM/SIGHUP to the whole group (docker, its buildx plugin, their children) and waits,
// within a bound, for it to exit. The caller removes secret files only after this returns:
// BuildKit reads secret files lazily, while the build runs.

import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { spawnChecked } from '../exec.js';
import type { Logger } from '../log.js';
import { redactWritable, watchWritable, type Redactor } from '../redact/index.js';
import { exitCodeFor, forwardedSignal, type SignalTrap, type TrappedSignal } from '../signals.js';
import { OutputTail } from './output-tail.js';

const OUTPUT_GRACE_MS = 5_000;
const STOPPING_GRACE_MS = 500;

export interface RunBuilderOptions {
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  /** Variables of `env` that carry a secret on purpose (see RunOptions in exec.ts). */
  readonly secretVariables?: readonly string[];
  readonly redactor: Redactor;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly signals: SignalTrap;
  readonly logger: Logger;
  readonly cwd?: string;
  readonly stdinInherit?: boolean;
  /**
   * The argv runs the builder under `script` (see pty.ts): what the child writes to its stdout is
   * the pseudo-terminal's display, for stderr, and the builder's own stdout arrives on fd 3.
   */
  readonly pty?: boolean;
  /**
   * The builder's stdout carries an archive (`-o -`): it passes unchanged, since masking would
   * corrupt it, and the result says whether a secret value went through.
   */
  readonly stdoutVerbatim?: boolean;
  /** What the child is, in messages: "the build" unless said otherwise. */
  readonly what?: string;
  /** Called with the builder's pid as soon as it is started. */
  readonly onSpawn?: (pid: number) => void;
  /** How long to wait after forwarding a signal before killing the group. */
  readonly killAfterMs?: number;
  /** How long output may stay open after the builder exits. */
  readonly outputGraceMs?: number;
}

export interface RunBuilderResult {
  readonly exitCode: number;
  /** The last part of the builder's redacted stderr, to explain a failure. */
  readonly stderrTail: string;
  readonly signal?: TrappedSignal;
  /**
   * The signal the builder itself died of, when it was not one passed on from us; `exitCode` is
   * then 128 + its number, as a shell reports it.
   */
  readonly killedBy?: NodeJS.Signals;
  /** With stdoutVerbatim: a secret value went through to stdout. */
  readonly stdoutSecret?: boolean;
  /** Set when the builder could not be started at all. */
  readonly spawnError?: Error;
}

export async function runBuilder(options: RunBuilderOptions): Promise<RunBuilderResult> {
  const [file, ...args] = options.argv;
  const child = spawnChecked(file, args, {
    env: options.env,
    guard: options.redactor,
    secretVariables: options.secretVariables,
    cwd: options.cwd,
    stdin: options.stdinInherit ? 'inherit' : 'ignore',
    detached: true,
    buffer: false,
    logger: options.logger,
    fd3: options.pty,
  });

  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const stopForwarding = forwardSignals(child, options);
  const tail = new OutputTail();
  // Each output has a redactor of its own (a redactor holds back a partial mask per stream).
  const watched = options.stdoutVerbatim
    ? watchWritable(options.redactor, options.stdout)
    : undefined;
  const toStdout = () => watched?.stream ?? redactWritable(options.redactor, options.stdout);
  const toStderr = () => redactWritable(options.redactor, tail.tee(options.stderr));
  // A signal was trapped and forwarded: the build is being stopped.
  const stopping = () => options.signals.signal !== undefined;
  const outputs: Output[] = options.pty
    ? [
        [child.stdio[3] as Readable, toStdout()],
        [child.stdout, toStderr()],
        // `script`'s own messages; the builder's stderr is the terminal, on its stdout.
        [child.stderr, toStderr(), dropWhile(stopping)],
      ]
    : [
        [child.stdout, toStdout()],
        [child.stderr, toStderr()],
      ];
  // Settles with the first stream error, if any, so that one can never go unhandled while the
  // child is awaited.
  const piped = outputs.map(([from, to, via]) =>
    via ? pipeline(from, via, to) : pipeline(from, to),
  );
  const streamError = Promise.all(piped).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );

  // Output ends with the builder, unless a process it left behind (an ssh connection it keeps
  // open, say) still holds the pipes: then, a while after the builder exits, stop reading, so
  // the secret files are removed now rather than whenever that process goes.
  let abandoned = false;
  let graceTimer: NodeJS.Timeout | undefined;
  // Only while nothing is waiting to be read or written: output still draining to a slow reader
  // is never cut short.
  const idle = () =>
    outputs.every(
      ([from, to, via]) =>
        from.readableLength === 0 &&
        to.writableLength === 0 &&
        (via === undefined || (via.readableLength === 0 && via.writableLength === 0)),
    );
  const graceMs = options.outputGraceMs ?? OUTPUT_GRACE_MS;
  // Once the build is being stopped, output a stalled reader will not take is given up: the
  // secret files are removed now, not whenever that reader reads again.
  const abandonIfIdle = () => {
    if (!idle() && !stopping()) {
      graceTimer = setTimeout(abandonIfIdle, graceMs);
      return;
    }
    abandoned = true;
    if (stopping()) options.logger.debug('stopping: output the reader has not taken is dropped');
    else {
      const who = options.what ?? 'the builder';
      options.logger.warn(`${who} exited but its output is still held open: not waiting`);
    }
    for (const [from] of outputs) from.destroy();
  };
  child.once('exit', () => {
    graceTimer = setTimeout(abandonIfIdle, stopping() ? STOPPING_GRACE_MS : graceMs);
  });
  // A builder stopped while its output is stuck (the reader stopped reading) would wait in its
  // own writes to us and not see the signal: a moment after it, its output is let go, so its next
  // write fails and it ends.
  let stuckTimer: NodeJS.Timeout | undefined;
  const stopWatchingStuck = options.signals.onSignal(() => {
    stuckTimer ??= setTimeout(() => {
      if (!idle() && !abandoned) abandonIfIdle();
    }, STOPPING_GRACE_MS);
  });

  try {
    const result = await child;
    const failed = await streamError;
    // A lost output (see signals.ts) ends a stream with an error; the build was stopped for it.
    if (failed !== undefined && options.signals.signal === undefined && !abandoned) throw failed;
    if (result.failed && result.exitCode === undefined && !result.signal) {
      return { exitCode: 1, stderrTail: tail.text(), spawnError: result.cause as Error };
    }
    const killedBy = options.signals.signal === undefined ? result.signal : undefined;
    return {
      exitCode: result.exitCode ?? (killedBy ? exitCodeFor(killedBy) : 1),
      stderrTail: tail.text(),
      signal: options.signals.signal,
      killedBy,
      stdoutSecret: watched?.sawSecret(),
    };
  } finally {
    clearTimeout(graceTimer);
    clearTimeout(stuckTimer);
    stopWatchingStuck();
    stopForwarding();
  }
}

/** Where one of the builder's outputs goes, and what it passes through on the way. */
type Output = [from: Readable, to: Writable, via?: Transform];

/**
 * Drops what passes while `stopping()`. Told to stop, `script` writes "Session terminated,
 * killing shell..." (in the user's language) on its own stderr: noise after the user's own ^C
 * or kill, which stops the build anyway. Its messages before that (it found no terminal) pass.
 */
function dropWhile(stopping: () => boolean): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, stopping() ? undefined : chunk);
    },
  });
}

function forwardSignals(
  child: { pid?: number; exitCode?: number | null },
  options: RunBuilderOptions,
): () => void {
  let killTimer: NodeJS.Timeout | undefined;

  const stop = options.signals.onSignal((signal) => {
    if (child.pid === undefined) return;
    const why = signal === 'SIGPIPE' ? 'output cannot be written' : `${signal} received`;
    options.logger.info(`${why}: stopping ${options.what ?? 'the build'}`);
    killGroup(child.pid, forwardedSignal(signal));

    killTimer ??= setTimeout(() => {
      options.logger.warn('the builder did not stop in time: killing it');
      killGroup(child.pid!, 'SIGKILL');
    }, options.killAfterMs ?? 10_000);
  });

  return () => {
    stop();
    if (killTimer) clearTimeout(killTimer);
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
