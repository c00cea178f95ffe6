import { gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { chunked, makeTar } from './__fixtures__/exports.js';
import { contentKind, peek } from './sniff.js';

describe('contentKind', () => {
  it('tells layers, compressed blobs and documents apart by their first bytes', async () => {
    const layer = await makeTar([{ name: 'a', content: 'x' }]);

    expect(contentKind(layer)).toBe('tar');
    expect(contentKind(gzipSync(layer))).toBe('gzip');
    expect(contentKind(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1]))).toBe('zstd');
    expect(contentKind(Buffer.alloc(1024))).toBe('tar');
    expect(contentKind(Buffer.from('  {"rootfs": {}}'))).toBe('json');
    expect(contentKind(Buffer.from('1.0'))).toBe('other');
    expect(contentKind(Buffer.alloc(600, 'x'))).toBe('other');
  });
});

describe('peek', () => {
  it('reads the head and still gives the whole stream', async () => {
    const data = Buffer.from('0123456789'.repeat(100));

    const { head, body } = await peek(chunked(data, 100), 512);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);

    expect(head.subarray(0, 512)).toEqual(data.subarray(0, 512));
    expect(Buffer.concat(chunks)).toEqual(data);
  });
});
