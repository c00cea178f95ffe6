// Masks a byte stream (buildx stdout or stderr) whose chunks can split a secret anywhere. Only the
// tail that could still grow into a mask is held back, so ordinary output, including docker's
// `tty` progress redraws, reaches the terminal as soon as it is written. Masking works on bytes,
// so ANSI escapes, `\r` and binary data pass through untouched.

import { Transform, type TransformCallback, type Writable } from 'node:stream';

import { addRange, type Ranges } from './mask-index.js';
import type { Redactor } from './redactor.js';
import { renderMasked } from './render.js';

/** A Transform that masks every value registered with `redactor`, across chunk boundaries. */
export function createRedactStream(redactor: Redactor): Transform {
  const redaction = new StreamRedaction(redactor);

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
 * A Writable that masks what is written to it and passes it on to `target`. Ending it flushes
 * the held-back tail but leaves `target` open, so it suits process.stdout and process.stderr.
 */
export function redactWritable(redactor: Redactor, target: NodeJS.WritableStream): Writable {
  const stream = createRedactStream(redactor);

  stream.pipe(target, { end: false });
  return stream;
}

function pushIfAny(stream: Transform, output: Buffer): void {
  if (output.length > 0) stream.push(output);
}

/** The state between chunks: the held-back tail and whether a masked run is still open. */
class StreamRedaction {
  readonly #redactor: Redactor;
  #pending: Buffer = Buffer.alloc(0);
  #open = false;
  #carry = 0;

  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }

  /** Returns the output that is now safe to emit. */
  write(chunk: Buffer): Buffer {
    const data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const { ranges, partialFrom } = this.#redactor.scan(data);

    return this.#emit(data, ranges, partialFrom);
  }

  /** Returns everything still held, masked. */
  end(): Buffer {
    const data = this.#pending;
    const { ranges } = this.#redactor.scan(data);

    return this.#emit(data, ranges, data.length);
  }

  #emit(data: Buffer, scanned: Ranges, cut: number): Buffer {
    const ranges = this.#open ? withCarried(scanned, this.#carry) : scanned;
    const result = renderMasked(data, ranges, cut, this.#open);

    // Copy the tail so a held-back few bytes do not keep a whole large chunk in memory.
    this.#pending = Buffer.from(data.subarray(cut));
    this.#open = result.open;
    this.#carry = result.carry;
    return result.output;
  }
}

/** Puts the still-open range `[0, carry)` in front, joined with any range it touches. */
function withCarried(scanned: Ranges, carry: number): Ranges {
  const ranges: Ranges = [0, carry];

  for (let index = 0; index < scanned.length; index += 2) {
    addRange(ranges, scanned[index], scanned[index + 1]);
  }
  return ranges;
}
