// The progress mode a build asks for, and the one ona-build cannot pass through.

import { UsageError } from '../errors.js';

/** The progress mode the passthrough options ask for, if any. */
export function progressMode(args: readonly string[]): string | undefined {
  let mode: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (arg === '--progress') mode = args[++i];
    else if (arg.startsWith('--progress=')) mode = arg.slice('--progress='.length);
  }
  return mode;
}

export const RAWJSON_REFUSED =
  'rawjson progress cannot be redacted reliably (step output is base64 in pieces): ' +
  'use --progress=plain, tty or quiet';

/**
 * `rawjson` progress carries each step's output base64-encoded, cut into records wherever
 * BuildKit cuts it: a value split across two records shows in neither, yet decodes whole. The
 * redactor works on what is printed, so that mode (from --progress or BUILDKIT_PROGRESS) is
 * refused rather than passed through.
 */
export function refuseUnredactableProgress(args: readonly string[], env: NodeJS.ProcessEnv): void {
  const mode = progressMode(args) ?? env.BUILDKIT_PROGRESS;
  if (mode?.trim().toLowerCase() !== 'rawjson') return;

  throw new UsageError(RAWJSON_REFUSED);
}
