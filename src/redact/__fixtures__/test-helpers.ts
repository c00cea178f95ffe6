// Helpers shared by the redactor's tests (kept out of the build with the rest of __fixtures__).

import { createRedactStream } from '../redact-stream.js';
import type { Redactor } from '../redactor.js';

/** Small, seeded generator (mulberry32) so a failing round reproduces. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `chunks` one by one and returns everything the stream emitted by its end. */
export async function streamThrough(
  redactor: Redactor,
  chunks: readonly (string | Buffer)[],
): Promise<Buffer> {
  const stream = createRedactStream(redactor);
  const output: Buffer[] = [];

  stream.on('data', (chunk: Buffer) => output.push(chunk));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await ended;
  return Buffer.concat(output);
}
