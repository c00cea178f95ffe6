// BuildKit's `tty` progress (the live, redrawn display) needs a terminal, but the builder's output
// must pass through the redactor, so it cannot write to the user's terminal directly. util-linux
// `script` gives the builder a pseudo-terminal of its own and copies what it draws, ANSI codes and
// `\r` included, to a pipe the redactor reads. Only the display goes through it: the builder's own
// stdout (an image id with -q, a tar with -o -, --call results) stays a pipe of its own, byte for
// byte, as with a plain docker buildx build.

import { UsageError } from '../errors.js';
import { shQuote } from '../exec-shim/shim-script.js';
import { which } from '../which.js';
import { progressMode } from './progress.js';

/**
 * Use a pseudo-terminal when the user asked for `tty` progress, or left it to `auto` while sitting
 * at a terminal (a plain `docker buildx build` would draw the live display there). Never when the
 * builder reads its stdin (a context or Dockerfile from `-`): through a terminal, the bytes would
 * be taken as keystrokes, ^C and ^D included.
 */
export function wantsPty(
  args: readonly string[],
  stderrIsTty: boolean,
  readsStdin = false,
): boolean {
  if (readsStdin) return false;
  const mode = progressMode(args);
  return mode === 'tty' || ((mode === undefined || mode === 'auto') && stderrIsTty);
}

/** Asked-for tty progress that the pseudo-terminal cannot give (see wantsPty) is refused. */
export function refuseTtyWithStdin(args: readonly string[], readsStdin: boolean): void {
  if (!readsStdin || progressMode(args) !== 'tty') return;
  throw new UsageError(
    'tty progress cannot be shown for a build that reads its context or Dockerfile from stdin: ' +
      'use --progress=plain or auto',
  );
}

// What BuildKit's tty display puts before each row of a step's output: ` => => # `.
const ROW_PREFIX = 9;

/**
 * tty progress wraps a long output line into rows of the terminal's width. A value cut into two
 * rows keeps half of it in one of them, which the redactor masks; cut into three or more, no row
 * need hold half, and the rows together would show it whole. So a secret line longer than two
 * rows' worth rules tty progress out at that width.
 */
export function wrapsSecrets(longestSecretLine: number, columns: number | undefined): boolean {
  return longestSecretLine > 2 * Math.max(ptyColumns(columns) - ROW_PREFIX, 1);
}

/** The width the pseudo-terminal gets (see sizeCommand): the one given, else its own 80. */
export function ptyColumns(columns: number | undefined): number {
  return validSize(columns) ? columns! : 80;
}

function validSize(n: number | undefined): boolean {
  return Number.isInteger(n) && n! > 0 && n! < 10_000;
}

export function findScript(env: NodeJS.ProcessEnv): string | undefined {
  return which('script', env);
}

/**
 * `script -q -e -c '[stty ...;] <argv> >&3 3>&-' /dev/null`: quiet, the child's exit code, no
 * typescript file; the builder's stdout goes to fd 3, which `script` passes down (the caller
 * opens it), and only its stderr is the terminal. The argv holds ids and paths only (the leak
 * guard checks it before anything starts), and every element is quoted for the shell `script`
 * runs it with.
 */
export function ptyArgv(
  script: string,
  argv: readonly string[],
  size?: { columns?: number; rows?: number },
): string[] {
  const command = `${argv.map(shQuote).join(' ')} >&3 3>&-`;
  return [script, '-q', '-e', '-c', `${sizeCommand(size)}${command}`, '/dev/null'];
}

/**
 * The pseudo-terminal starts at 80 columns: it gets the size of the user's terminal, so the
 * display uses its width as a plain buildx's would.
 */
function sizeCommand(size: { columns?: number; rows?: number } | undefined): string {
  const settings = [
    ...(validSize(size?.columns) ? [`cols ${size!.columns}`] : []),
    ...(validSize(size?.rows) ? [`rows ${size!.rows}`] : []),
  ];
  return settings.length === 0 ? '' : `stty ${settings.join(' ')} 2>/dev/null; `;
}
