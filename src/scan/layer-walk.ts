// Walks one filesystem layer, file by file, so a finding names the file that holds the secret.
// Empty files are skipped: BuildKit can leave the target of a secret mount behind as an empty
// stub, which holds nothing. So are whiteouts, the empty markers of files a layer deletes; the
// deleted file is still in the lower layer, and is reported there.

import type { Readable } from 'node:stream';

import tar, { type Header } from 'tar-stream';

import type { Location } from './findings.js';
import { isWhiteout, layerPath } from './names.js';
import type { ScanSession } from './session.js';
import { isRegularFile, paxRecords, type TarEntry, untilEnd } from './tar-entries.js';

export async function scanLayer(stream: Readable, layer: string, session: ScanSession) {
  const extract = tar.extract();
  stream.on('error', (error) => extract.destroy(error));
  stream.pipe(extract);
  session.stats.layers += 1;

  for await (const entry of extract) await scanEntry(entry, layer, session);
}

async function scanEntry(entry: TarEntry, layer: string, session: ScanSession): Promise<void> {
  const { header } = entry;
  if (isWhiteout(header.name)) return untilEnd(entry);

  const where = scanNames(header, layer, session);
  if (!isRegularFile(header) || !header.size) return untilEnd(entry);

  session.stats.files += 1;
  const search = session.open(where);
  for await (const chunk of entry) search.write(chunk as Buffer);
  search.close();
}

/** Searches the entry's name, link target and PAX records; returns where its content is. */
function scanNames(header: Header, layer: string, session: ScanSession): Location {
  const name = session.hide(layerPath(header.name));
  const where: Location = { source: 'layer', layer, path: name.text };

  session.record({ ...where, field: 'name' }, name.matches);
  if (header.linkname) {
    session.record({ ...where, field: 'linkname' }, session.hide(header.linkname).matches);
  }
  for (const [key, value] of paxRecords(header)) {
    const field = `pax.${session.hide(key).text}`;
    session.record({ ...where, field }, session.hide(`${key}=${value}`).matches);
  }
  return where;
}
