// An exception nothing caught (a bug, thrown from a stream callback, say) would end the process
// before the `finally` that stops the builder and removes the secret files. This does both first,
// then reports the bug with its kind only: its message or stack may hold what a stream carried.

import fs from 'node:fs';

import { removeLiveRunDirs } from '../materialize/run-dir.js';
import { ISSUES_URL } from './run-command.js';

let installed = false;

export function cleanUpOnCrash(): void {
  if (installed) return;
  installed = true;

  process.on('uncaughtException', (error: unknown) => {
    removeLiveRunDirs();
    const kind = error instanceof Error ? error.name : typeof error;
    // Written at once: the process exits next, before any queued output would be.
    fs.writeSync(
      2,
      `ona-build: error: unexpected internal error (${kind}), please report it at ${ISSUES_URL}; ` +
        'the builder was stopped and its secret files removed\n',
    );
    process.exit(70);
  });
}
