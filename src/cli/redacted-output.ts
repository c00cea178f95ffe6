// The command's stdout and stderr as handed to command bodies. Text written to them (listings,
// plans, reports) passes through the redactor like every log line. Buffers are the builder's
// output, already redacted as a stream by redactWritable (which holds back partial matches across
// chunks), and may be binary (`--output -` streams a tar), so they pass as they are.

import { Writable } from 'node:stream';

import type { Redactor } from '../redact/index.js';

export function redactedOutput(target: NodeJS.WritableStream, redactor: Redactor): Writable {
  const output = new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      const data = typeof chunk === 'string' ? redactor.redact(chunk) : chunk;
      // Done once `target` has taken the data, or has failed: a closed pipe or a full disk must
      // end the writer with an error (see signals.ts), never leave it waiting for 'drain'.
      target.write(data, (error) => callback(error ?? undefined));
    },
  });
  // A failed write reaches its writer through the write's callback, and the process through
  // `target`'s own 'error' event (see signals.ts); this stream's copy of it has nothing to add.
  output.on('error', () => undefined);
  return output;
}
