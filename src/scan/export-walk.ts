// Walks an image export, a tar of tars: `docker save` (manifest.json, `<id>/layer.tar`, the config
// JSON) or an OCI layout (index.json, `blobs/sha256/<digest>`), in the order the stream brings
// them and never on disk. Each file is told apart by its content: layers are walked file by file,
// JSON documents member by member, anything else searched as bytes.

import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

import tar from 'tar-stream';

import { noteDocument, parseJson } from './export-documents.js';
import type { Location } from './findings.js';
import { scanLayer } from './layer-walk.js';
import { exportName } from './names.js';
import type { ScanSession } from './session.js';
import { contentKind, peek, replay } from './sniff.js';
import { isRegularFile, untilEnd } from './tar-entries.js';

// Larger JSON is searched as bytes: a config or manifest is a few KiB, an attestation a few MiB.
const MAX_JSON_BYTES = 64 << 20;

/** Searches every layer, config and metadata file of an export read from `stream`. */
export async function walkExport(stream: Readable, session: ScanSession): Promise<void> {
  const extract = tar.extract();
  stream.on('error', (error) => extract.destroy(error));
  stream.pipe(extract);

  for await (const entry of extract) {
    if (!isRegularFile(entry.header) || entry.header.size === 0) {
      await untilEnd(entry);
      continue;
    }
    await scanExportFile(entry, entry.header.name, session);
  }
}

async function scanExportFile(
  file: AsyncIterable<unknown>,
  path: string,
  session: ScanSession,
): Promise<void> {
  const { head, body } = await peek(file);
  const label = exportName(path);

  switch (contentKind(head)) {
    case 'gzip':
      return scanDecompressed(gunzip(body), path, session);
    case 'zstd':
      session.unscanned(label, 'zstd-compressed; this Node.js cannot decompress it');
      return untilEnd(body);
    case 'tar':
      return scanLayer(body, label, session);
    case 'json':
      return scanJsonFile(body, path, session);
    case 'other':
      return scanBytes(body, { source: 'metadata', layer: label }, session);
  }
}

// Gzip wraps layers in OCI layouts; what it holds is sniffed again.
async function scanDecompressed(stream: Readable, path: string, session: ScanSession) {
  const { head, body } = await peek(stream);
  const label = exportName(path);

  if (contentKind(head) === 'tar') return scanLayer(body, label, session);
  if (contentKind(head) === 'json') return scanJsonFile(body, path, session);
  return scanBytes(body, { source: 'metadata', layer: label }, session);
}

async function scanJsonFile(body: Readable, path: string, session: ScanSession): Promise<void> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const { head, complete } = await readUpTo(chunks, MAX_JSON_BYTES);
  const document = complete ? parseJson(head) : undefined;
  const label = exportName(path);

  if (document === undefined) {
    const rest = Readable.from(replay([head], chunks));
    return scanBytes(rest, { source: 'metadata', layer: label }, session);
  }

  const source = noteDocument(document, path, session.layers);
  session.json(document, { source, layer: label });
}

async function scanBytes(body: Readable, where: Location, session: ScanSession): Promise<void> {
  const search = session.open(where);

  for await (const chunk of body) search.write(chunk as Buffer);
  search.close();
}

/** Reads until the end or until more than `limit` bytes; the rest stays in `chunks`. */
async function readUpTo(chunks: AsyncIterator<Buffer>, limit: number) {
  const head: Buffer[] = [];
  let length = 0;

  while (length <= limit) {
    const next = await chunks.next();
    if (next.done === true) return { head: Buffer.concat(head), complete: true };
    head.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(head), complete: false };
}

function gunzip(body: Readable): Readable {
  const inflate = createGunzip();

  body.on('error', (error) => inflate.destroy(error));
  return body.pipe(inflate);
}
