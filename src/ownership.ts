// Whose a file is. A key or store that another user owns can be swapped or read by that user, so
// it is never trusted, whatever its mode says; root's own files are the exception, as with ssh.

import type fs from 'node:fs';

/** True for files of the current user or root (root can replace any file anyway). */
export function ownedByUs(stat: Pick<fs.Stats, 'uid'>): boolean {
  return stat.uid === 0 || stat.uid === process.getuid?.();
}
