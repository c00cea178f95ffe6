// Masks a byte stream (buildx stdout or stderr) whose chunks can split a secret anywhere. Only the
// tail that could still grow into a mask is held back (see stream-redaction.ts), so ordinary
// output, including docker's `tty` progress redraws, reaches the terminal as soon as it is
// written. Masking works on bytes, so ANSI escapes, `\r` and binary data pass through untouched.

import { Transform, type TransformCallback, Writable } from 'node:stream';

import { maskIndexOf, type Redactor } from './redactor.js';
import { StreamRedaction } from './stream-redaction.js';

/** A Transform that masks every value registered with `redactor`, across chunk boundaries. */
export function createRedactStream(redactor: Redactor): Transform {
  const redaction = new StreamRedaction(() => maskIndexOf(redactor));

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      pushIfAny(this, redaction.write(chunk));
      callback();
    },
    flush(callback: TransformCallback) {
      pushIfAny(this, redaction.end());
      callback();
    },
  });
}

/**
 * A Writable that masks what is written to it and writes it on to `target`, which it never ends,
 * so it suits process.stdout and process.stderr. Each write completes only once `target` has
 * taken the output, so `target`'s backpressure and errors reach the writer, and `finish` (the end
 * of a `pipeline()`) means every byte, the held-back tail included, is in `target`.
 */
export function redactWritable(redactor: Redactor, target: NodeJS.WritableStream): Writable {
  const redaction = new StreamRedaction(() => maskIndexOf(redactor));

  return new Writable({
    write(chunk: Buffer, _encoding: BufferEncoding, callback: WriteCallback) {
      writeTo(target, redaction.write(chunk), callback);
    },
    final(callback: WriteCallback) {
      writeTo(target, redaction.end(), callback);
    },
  });
}

type WriteCallback = (error?: Error | null) => void;

function writeTo(target: NodeJS.WritableStream, output: Buffer, callback: WriteCallback): void {
  if (output.length === 0) callback();
  else target.write(output, callback);
}

function pushIfAny(stream: Transform, output: Buffer): void {
  if (output.length > 0) stream.push(output);
}
