// Redaction throughput with 100 secrets (about 3,000 masks) over 16 MiB of docker-style plain
// progress output. Run with `npx vitest bench --run --project unit src/redact`; MB/s = hz x 16.78.

import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';

import { bench, describe } from 'vitest';

import { buildMasks, type MaskSource } from './masks.js';
import { createRedactStream } from './redact-stream.js';
import { Redactor } from './redactor.js';

const LOG_BYTES = 16 << 20;
const CHUNK_BYTES = 64 << 10;

function token(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

// Tokens, passwords, hex keys, URLs and multi-line JSON keys, as an organization might hold.
function secrets(): MaskSource[] {
  return Array.from({ length: 100 }, (_, index) => {
    const kind = index % 5;
    const value =
      kind === 0
        ? `ghp_${token(36)}`
        : kind === 1
          ? randomBytes(16).toString('hex')
          : kind === 2
            ? `postgres://app:${token(20)}@db.internal:5432/app`
            : kind === 3
              ? JSON.stringify({ type: 'service_account', key: token(400), id: token(20) }, null, 2)
              : `${token(14)}!é`;
    return {
      id: `s${index}`,
      value: Buffer.from(value),
      registryUser: kind === 4 ? 'ci' : undefined,
    };
  });
}

// Words, timings, digests and base64 blobs, each line prefixed like `--progress=plain`.
function progressLog(): Buffer {
  const words = 'npm WARN deprecated added packages RUN COPY exporting layer done resolve'.split(
    ' ',
  );
  const lines: string[] = [];

  for (let size = 0, index = 0; size < LOG_BYTES; index++) {
    const body =
      index % 10 === 0
        ? `writing image sha256:${randomBytes(32).toString('hex')} done`
        : index % 10 === 1
          ? `data ${randomBytes(48).toString('base64')}`
          : Array.from({ length: 10 }, (_, word) => words[(index * 7 + word) % words.length]).join(
              ' ',
            );
    const line = `#${index % 20} ${(index / 1000).toFixed(3)} ${body}\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, LOG_BYTES);
}

const redactor = new Redactor(buildMasks(secrets()));
const log = progressLog();
const lines = log.toString().split('\n');

describe(`redaction, ${redactor.maskCount} masks, 16 MiB`, () => {
  bench('redactBuffer, one piece', () => {
    redactor.redactBuffer(log);
  });

  bench('redactBuffer, 64 KiB chunks', () => {
    for (let at = 0; at < log.length; at += CHUNK_BYTES) {
      redactor.redactBuffer(log.subarray(at, at + CHUNK_BYTES));
    }
  });

  bench('redact, one string per line', () => {
    for (const line of lines) redactor.redact(line);
  });

  bench('createRedactStream, 64 KiB chunks', async () => {
    const stream = createRedactStream(redactor);
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const finished = new Promise((resolve) => sink.on('finish', resolve));

    stream.pipe(sink);
    for (let at = 0; at < log.length; at += CHUNK_BYTES) {
      stream.write(log.subarray(at, at + CHUNK_BYTES));
    }
    stream.end();
    await finished;
  });
});
