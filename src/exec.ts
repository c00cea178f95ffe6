// The one place that starts processes. Before anything is spawned, its argv and environment are
// checked against every registered secret value: a value found there is a bug in ona-build, and
// the spawn is refused rather than leaking it to `ps` or /proc/<pid>/environ.

import { execa, type Options, type ResultPromise, type VerboseObject } from 'execa';

import { OnaBuildError } from './errors.js';
import type { Logger } from './log.js';
import type { Redactor } from './redact/index.js';

export interface RunOptions {
  /** The complete environment of the child; the parent's is never inherited implicitly. */
  readonly env: Record<string, string>;
  readonly guard: Redactor;
  /**
   * Variables of `env` that carry a masked value on purpose: those the user's own
   * `--secret ...,env=NAME` flags name, which the builder must read.
   */
  readonly secretVariables?: readonly string[];
  readonly cwd?: string;
  readonly stdin?: Options['stdin'];
  readonly stdout?: Options['stdout'];
  readonly stderr?: Options['stderr'];
  /** Start the child in its own process group, so signals can reach all of its descendants. */
  readonly detached?: boolean;
  /**
   * Collect piped output into the result (the default). A caller that streams the output itself
   * turns it off: a build's output would otherwise be held in memory a second time, whole.
   */
  readonly buffer?: boolean;
  /** Also open a pipe on the child's fd 3, for output it is told to write there. */
  readonly fd3?: boolean;
  /** Logs the command line, and how it ended, at debug level (when the logger has it on). */
  readonly logger?: Logger;
}

export function spawnChecked(file: string, args: readonly string[], options: RunOptions) {
  assertNothingSecret(file, args, options.env, options.guard, options.secretVariables);

  return execa(file, args, {
    env: options.env,
    extendEnv: false,
    cwd: options.cwd,
    stdio: [
      options.stdin ?? 'ignore',
      options.stdout ?? 'pipe',
      options.stderr ?? 'pipe',
      ...(options.fd3 ? ['pipe' as const] : []),
    ],
    detached: options.detached ?? false,
    // The caller owns the child's lifetime: it forwards signals and waits.
    cleanup: !options.detached,
    reject: false,
    buffer: options.buffer ?? true,
    encoding: 'buffer',
    stripFinalNewline: false,
    verbose: debugLogger(options.logger),
  }) as ResultPromise<{ encoding: 'buffer'; reject: false }>;
}

/**
 * execa's own verbose lines go straight to stderr, in a format of their own: they would break
 * `--log-format json` and skip the redactor. Its events go through the logger instead. Output
 * lines are never among them: output is read as bytes, which execa does not log.
 */
function debugLogger(logger: Logger | undefined): Options['verbose'] {
  if (!logger?.isEnabled('debug')) return 'none';
  return (_line, minimal) => {
    // execa's typings name the fuller object (with the result) only outside the function.
    const event = minimal as unknown as VerboseObject;
    const id = event.commandId;
    if (event.type === 'command') logger.debug('running', { id, command: event.escapedCommand });
    if (event.type === 'error') logger.debug('the command failed', { id, reason: event.message });
    if (event.type === 'duration') {
      logger.debug('the command ended', { id, ms: Math.round(event.result?.durationMs ?? 0) });
    }
  };
}

export function assertNothingSecret(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
  guard: Redactor,
  secretVariables: readonly string[] = [],
): void {
  const places = [file, ...args].map((text, index) => ({ where: `argv[${index}]`, text }));
  for (const [name, value] of Object.entries(env)) {
    if (!secretVariables.includes(name)) places.push({ where: `env ${name}`, text: value });
  }

  for (const { where, text } of places) {
    if (guard.holdsSecret(text)) {
      throw new OnaBuildError(
        `refusing to start ${file}: ${where} would carry a secret value (this is a bug)`,
        'LEAK_GUARD',
        70,
      );
    }
  }
}
