// What the walks of a file tree share, whether the tree is a layer tar, an exported root
// filesystem tar or a directory on disk: where a file is, with any secret in its name searched
// and hidden, and a search of its content.

import type { Location } from './findings.js';
import type { ScanSession } from './session.js';

/** The tree files are reported in: a layer of an image, or a build output. */
export type FileTree = Pick<Location, 'source' | 'layer'>;

/** Where the file at `name` is; a secret in the name is recorded, and shown as `***`. */
export function locateFile(session: ScanSession, tree: FileTree, name: string): Location {
  const hidden = session.hide(name);
  const where: Location = { ...tree, path: hidden.text };

  session.record({ ...where, field: 'name' }, hidden.matches);
  return where;
}

/** Searches one file's content, read as chunks; counts it as a file scanned. */
export async function searchContent(
  session: ScanSession,
  where: Location,
  chunks: AsyncIterable<unknown>,
): Promise<void> {
  session.stats.files += 1;
  const search = session.open(where);

  for await (const chunk of chunks) search.write(chunk as Buffer);
  search.close();
}
