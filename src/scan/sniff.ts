// Tells what a file of an image export holds from its first bytes, without trusting its name:
// `docker save` names layers `<id>/layer.tar`, OCI layouts name every blob by digest alone, and a
// layer may be plain, gzip- or zstd-compressed whatever its media type says.

import { Readable } from 'node:stream';

export type ContentKind = 'gzip' | 'zstd' | 'tar' | 'json' | 'other';

/** Enough for a tar header, the largest thing sniffed. */
export const SNIFF_BYTES = 512;

const ZSTD_MAGIC = 0xfd2fb528;
const TAR_CHECKSUM = { at: 148, length: 8 };

export function contentKind(head: Buffer): ContentKind {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === ZSTD_MAGIC) return 'zstd';
  if (isTarHeader(head)) return 'tar';
  if (startsJson(head)) return 'json';
  return 'other';
}

/**
 * A tar archive opens with a header whose checksum field matches its bytes (any tar dialect), or
 * with a zero block when it is empty: docker's empty layer is 1024 zero bytes.
 */
function isTarHeader(head: Buffer): boolean {
  if (head.length < SNIFF_BYTES) return false;

  const block = head.subarray(0, SNIFF_BYTES);
  if (block.every((byte) => byte === 0)) return true;

  const field = block.toString('latin1', TAR_CHECKSUM.at, TAR_CHECKSUM.at + TAR_CHECKSUM.length);
  const stored = Number.parseInt(field.replace(/[\0 ]+$/, '').trim(), 8);
  let sum = 0;
  for (let index = 0; index < SNIFF_BYTES; index++) {
    const inField = index >= TAR_CHECKSUM.at && index < TAR_CHECKSUM.at + TAR_CHECKSUM.length;
    sum += inField ? 0x20 : block[index];
  }
  return stored === sum;
}

function startsJson(head: Buffer): boolean {
  const first = head.toString('latin1').trimStart()[0];
  return first === '{' || first === '[';
}

export interface Peeked {
  /** At least `bytes` bytes, unless the stream is shorter. */
  readonly head: Buffer;
  /** The whole stream again, head included. */
  readonly body: Readable;
}

/** Reads the first `bytes` of `source` and hands back a stream that still starts with them. */
export async function peek(source: AsyncIterable<unknown>, bytes = SNIFF_BYTES): Promise<Peeked> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;

  while (length < bytes) {
    const next = await iterator.next();
    if (next.done === true) break;
    chunks.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(chunks), body: Readable.from(replay(chunks, iterator)) };
}

/** `chunks`, then whatever `rest` still yields. */
export async function* replay(
  chunks: Buffer[],
  rest: AsyncIterator<Buffer>,
): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
    for (let next = await rest.next(); next.done !== true; next = await rest.next()) {
      yield next.value;
    }
  } finally {
    // A consumer that stops early must release the source, or a tar extract would stall on it.
    await rest.return?.();
  }
}
