import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { OutputTail } from './output-tail.js';

describe('OutputTail', () => {
  it('passes every byte on and keeps a copy', async () => {
    const tail = new OutputTail();
    const target = new PassThrough();
    const seen: Buffer[] = [];
    target.on('data', (chunk: Buffer) => seen.push(chunk));

    await pipeline(Readable.from([Buffer.from('one\n'), Buffer.from('two\n')]), tail.tee(target));

    expect(Buffer.concat(seen).toString()).toBe('one\ntwo\n');
    expect(tail.text()).toBe('one\ntwo\n');
  });

  it('keeps only about the last limit bytes', async () => {
    const tail = new OutputTail(10);
    const chunks = Array.from({ length: 20 }, (_, i) => Buffer.from(`chunk-${i}\n`));

    await pipeline(Readable.from(chunks), tail.tee(new PassThrough().resume()));

    expect(tail.text().endsWith('chunk-19\n')).toBe(true);
    expect(tail.text()).not.toContain('chunk-1\n');
    expect(tail.text().length).toBeLessThan(30);
  });

  it('fails its writer when the target fails, not awaiting a drain that never comes', async () => {
    const target = new Writable({
      highWaterMark: 1,
      write: (_chunk, _encoding, callback) =>
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    });
    target.on('error', () => undefined);

    const written = pipeline(
      Readable.from([Buffer.from('a'), Buffer.from('b')]),
      new OutputTail().tee(target),
    );

    await expect(written).rejects.toThrow('EPIPE');
  });
});
