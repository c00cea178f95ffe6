// For output that must arrive byte for byte (an archive the builder writes to stdout with
// `-o -`): a Writable that passes every byte on to its target unchanged, and notes whether any
// registered value, or a form of one, went through. Masking an archive would corrupt it (a tar's
// sizes would no longer match), so the caller reports what was seen instead.

import { Writable } from 'node:stream';

import { maskIndexOf, type Redactor } from './redactor.js';
import { StreamRedaction } from './stream-redaction.js';

export interface WatchedWritable {
  readonly stream: Writable;
  /** Whether a value went through, as far as written. */
  sawSecret(): boolean;
}

export function watchWritable(redactor: Redactor, target: NodeJS.WritableStream): WatchedWritable {
  const redaction = new StreamRedaction(() => maskIndexOf(redactor));
  // Bytes passed on whose redacted form has not come out yet (the redaction holds a tail back).
  let unmatched = Buffer.alloc(0);
  let saw = false;

  // Where redaction changed nothing, its output is the input's next bytes exactly.
  const compare = (redacted: Buffer) => {
    if (saw || redacted.length === 0) return;
    if (!redacted.equals(unmatched.subarray(0, redacted.length))) saw = true;
    unmatched = unmatched.subarray(redacted.length);
  };

  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!saw) {
        unmatched = Buffer.concat([unmatched, chunk]);
        compare(redaction.write(chunk));
      }
      target.write(chunk, callback);
    },
    final(callback) {
      if (!saw) compare(redaction.end());
      callback();
    },
  });
  return { stream, sawSecret: () => saw };
}
