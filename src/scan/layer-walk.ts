// Walks a tar of files, file by file, so a finding names the file that holds the secret: one
// filesystem layer of an image, or the root filesystem a build exported (`--output type=tar`).
// Empty files are skipped: BuildKit can leave the target of a secret mount behind as an empty
// stub, which holds nothing. In a layer, so are whiteouts, the empty markers of files a layer
// deletes; the deleted file is still in the lower layer, and is reported there.

import type { Readable } from 'node:stream';

import tar, { type Header } from 'tar-stream';

import type { Location } from './findings.js';
import { type FileTree, locateFile, searchContent } from './file-tree.js';
import { isWhiteout, layerPath } from './names.js';
import type { ScanSession } from './session.js';
import { isRegularFile, paxRecords, type TarEntry, untilEnd } from './tar-entries.js';

export async function scanLayer(stream: Readable, layer: string, session: ScanSession) {
  session.stats.layers += 1;
  await walkFileTar(stream, { source: 'layer', layer }, session, isWhiteout);
}

/** Searches every entry of a tar of files; `skip` names entries that hold nothing to report. */
export async function walkFileTar(
  stream: Readable,
  tree: FileTree,
  session: ScanSession,
  skip: (name: string) => boolean = () => false,
): Promise<void> {
  const extract = tar.extract();
  stream.on('error', (error) => extract.destroy(error));
  stream.pipe(extract);

  for await (const entry of extract) {
    if (skip(entry.header.name)) await untilEnd(entry);
    else await scanEntry(entry, tree, session);
  }
}

async function scanEntry(entry: TarEntry, tree: FileTree, session: ScanSession): Promise<void> {
  const where = scanNames(entry.header, tree, session);
  if (!isRegularFile(entry.header) || !entry.header.size) return untilEnd(entry);

  await searchContent(session, where, entry);
}

/** Searches the entry's name, link target and PAX records; returns where its content is. */
function scanNames(header: Header, tree: FileTree, session: ScanSession): Location {
  const where = locateFile(session, tree, layerPath(header.name));

  if (header.linkname) {
    session.record({ ...where, field: 'linkname' }, session.hide(header.linkname).matches);
  }
  for (const [key, value] of paxRecords(header)) {
    const field = `pax.${session.hide(key).text}`;
    session.record({ ...where, field }, session.hide(`${key}=${value}`).matches);
  }
  return where;
}
