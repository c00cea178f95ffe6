// Wraps a command handler: builds the context (redactor first), runs the handler, reports any
// error as one redacted stderr line, sets the exit code, and closes the store. A file missing from
// the installation is said plainly; other unknown errors get their stack and a request to report
// them, still redacted.

import type { ArgumentsCamelCase, Argv } from 'yargs';

import { OnaBuildError } from '../errors.js';
import { wasInterrupted } from '../signals.js';
import { flushOutputs } from './async-output.js';
import { createContext, type CommandContext, type GlobalArgs } from './context.js';

/** The parsed arguments of a command, inferred from its yargs builder. */
export type ArgsOf<B extends (yargs: Argv) => Argv<unknown>> = ArgumentsCamelCase<
  ReturnType<B> extends Argv<infer U> ? U : never
>;

export const ISSUES_URL = 'https://github.com/ona-build/ona-build/issues';
const INTERRUPTED_FLUSH_MS = 1_000;

export function withContext<A>(
  body: (args: A, context: CommandContext) => Promise<number | void>,
): (args: A) => Promise<void> {
  return async (args) => {
    const context = createContext(globalArgsOf(args));
    try {
      process.exitCode = (await body(args, context)) ?? 0;
    } catch (error) {
      process.exitCode = reportError(error, context);
    } finally {
      context.close();
    }
    // Cleaned up; what remains is output a stalled reader may never take. Wait for it a little,
    // then go: the process must not hang on after it was told to stop.
    if (wasInterrupted()) {
      await flushOutputs(INTERRUPTED_FLUSH_MS);
      process.exit();
    }
  };
}

/** The global options live on every command's argv, but outside its builder's inferred type. */
function globalArgsOf(args: unknown): GlobalArgs {
  const all = args as Partial<GlobalArgs>;
  return {
    store: all.store,
    keyFile: all.keyFile,
    logLevel: all.logLevel ?? 'info',
    logFormat: all.logFormat ?? 'text',
  };
}

export function reportError(error: unknown, context: CommandContext): number {
  if (error instanceof OnaBuildError) {
    context.logger.error(
      error.message,
      context.logger.isEnabled('debug') ? { code: error.code } : {},
    );
    return error.exitCode;
  }

  const missing = missingModule(error);
  if (missing !== undefined) {
    context.logger.error(
      `cannot load ${missing}: the installation is incomplete; reinstall ona-build, or run ` +
        'npm run build in its source',
    );
    return 70;
  }

  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  context.logger.error(`unexpected error, please report it at ${ISSUES_URL}\n${detail}`);
  return 70;
}

/** A file missing from the installation, as `require` names it (`./vendor/dockerode.js`). */
function missingModule(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') {
    return undefined;
  }
  return /^Cannot find module '([^']+)'/.exec(error.message)?.[1];
}
