// Keeps the last part of the builder's (already redacted) output, so a failed build can be
// explained: which registry refused which credential, which step could not read a secret.

import { Writable } from 'node:stream';

const DEFAULT_LIMIT = 64 * 1024;

export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  /** A writable that passes everything on to `target` and keeps a copy of the tail. */
  tee(target: NodeJS.WritableStream): Writable {
    const tee = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.keep(chunk);
        // Done once `target` has the data or has failed, never left waiting for 'drain'.
        target.write(chunk, (error?: Error | null) => callback(error ?? undefined));
      },
    });
    // Its writer learns of a failure through the write's callback; the event adds nothing.
    tee.on('error', () => undefined);
    return tee;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  private keep(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
    }
  }
}
