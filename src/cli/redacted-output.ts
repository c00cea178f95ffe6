// The command's stdout and stderr as handed to command bodies. Text written to them (listings,
// plans, reports) passes through the redactor like every log line. Buffers are the builder's
// output, already redacted as a stream by redactWritable (which holds back partial matches across
// chunks), and may be binary (`--output -` streams a tar), so they pass as they are.

import { Writable } from 'node:stream';

import type { Redactor } from '../redact/index.js';

export function redactedOutput(target: NodeJS.WriteStream, redactor: Redactor): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      const data = typeof chunk === 'string' ? redactor.redact(chunk) : chunk;
      if (target.write(data)) callback();
      else target.once('drain', () => callback());
    },
  });
}
