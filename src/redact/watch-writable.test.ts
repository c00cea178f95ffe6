import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { buildMasks } from './masks.js';
import { Redactor } from './redactor.js';
import { watchWritable } from './watch-writable.js';

const VALUE = 'watched-secret-value-0c1d2e';

async function watch(chunks: string[]) {
  const redactor = new Redactor(buildMasks([{ id: 'token', value: Buffer.from(VALUE) }]));
  const target = new PassThrough();
  const received: Buffer[] = [];
  target.on('data', (chunk: Buffer) => received.push(chunk));

  const watched = watchWritable(redactor, target);
  await pipeline(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), watched.stream);
  return { bytes: Buffer.concat(received).toString(), saw: watched.sawSecret() };
}

describe('watchWritable', () => {
  it('passes every byte unchanged, and says when a value went through', async () => {
    const text = `header\0${VALUE}\0trailer`;

    expect(await watch([text])).toEqual({ bytes: text, saw: true });
  });

  it('sees a value split across chunks anywhere', async () => {
    const text = `a${VALUE}b`;
    for (let at = 1; at < text.length; at++) {
      expect(await watch([text.slice(0, at), text.slice(at)])).toEqual({ bytes: text, saw: true });
    }
  });

  it('sees nothing in clean output, and still passes it all', async () => {
    const text = `nothing secret here, only ${VALUE.slice(0, 5)} and such`;

    expect(await watch([text.slice(0, 10), text.slice(10)])).toEqual({ bytes: text, saw: false });
  });
});
