// The command's stdout and stderr, written without blocking the process.
//
// On Linux Node writes to pipes, files and terminals synchronously: when the reader stops reading
// (`ona-build build | less`, with less left open), the whole process waits in write(2), signal
// handlers included, so a Ctrl-C or SIGTERM could not stop the builder or remove the secret files
// until the reader read again. These streams write from libuv's thread pool instead: a stalled
// reader holds back only the output, and an interrupted build is still stopped and cleaned up.

import fs from 'node:fs';
import { Writable } from 'node:stream';

import { outputLost } from '../signals.js';

// A descriptor a parent left non-blocking answers EAGAIN when full: wait and try again.
const RETRY_MS = 20;

/** A Writable for an open descriptor; exported for tests, the CLI uses asyncOutputs. */
export class DescriptorOutput extends Writable {
  constructor(readonly fd: number) {
    super({ decodeStrings: true });
    // The writer hears of a failure through its write's callback; the process through this.
    this.on('error', outputLost);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.#writeAll(chunk, 0, done);
  }

  #writeAll(chunk: Buffer, offset: number, done: (error?: Error) => void): void {
    fs.write(this.fd, chunk, offset, chunk.length - offset, null, (error, written) => {
      if (error?.code === 'EAGAIN') {
        setTimeout(() => this.#writeAll(chunk, offset, done), RETRY_MS);
        return;
      }
      if (error) return done(error);
      if (offset + written < chunk.length) this.#writeAll(chunk, offset + written, done);
      else done();
    });
  }
}

let outputs: { stdout: DescriptorOutput; stderr: DescriptorOutput } | undefined;

/** The process's stdout and stderr as non-blocking writers, made once. */
export function asyncOutputs(): { stdout: Writable; stderr: Writable } {
  outputs ??= { stdout: new DescriptorOutput(1), stderr: new DescriptorOutput(2) };
  return outputs;
}

/**
 * Resolves once everything written so far is out, or after `timeoutMs`: an interrupted command
 * waits that long for its last lines, not for a reader that may never read again.
 */
export async function flushOutputs(timeoutMs: number): Promise<void> {
  if (!outputs) return;
  const pending = [outputs.stdout, outputs.stderr].filter((stream) => stream.writableLength > 0);
  if (pending.length === 0) return;

  let timer: NodeJS.Timeout | undefined;
  const drained = pending.map((stream) => new Promise((resolve) => stream.once('drain', resolve)));
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(drained), timeout]);
  clearTimeout(timer);
}
