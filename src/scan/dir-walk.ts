// Walks a directory a build exported (`--output type=local`), file by file as a layer is walked,
// so a finding names the file. Symbolic links are searched as a name and a target and never
// followed: a link may point anywhere outside the directory. Only regular files are read, opened
// so that neither a link put in their place nor a FIFO (which would block) can be read instead.
// A file with several hard links is read once, at its first path, as a tar holds it once.

import fs from 'node:fs';
import path from 'node:path';

import { errorCode } from '../errno.js';
import type { Location } from './findings.js';
import { type FileTree, locateFile, searchContent } from './file-tree.js';
import type { ScanSession } from './session.js';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;

interface Walk {
  readonly root: string;
  readonly tree: FileTree;
  readonly session: ScanSession;
  /** `dev:ino` of the hard-linked files already read. */
  readonly linked: Set<string>;
}

/** Searches every file under `root`; a part that cannot be read is reported as not scanned. */
export async function walkDirectory(
  root: string,
  tree: FileTree,
  session: ScanSession,
): Promise<void> {
  // Not caught: an unreadable output would otherwise pass as a scan that found nothing.
  const entries = await readEntries(root);

  await walkEntries({ root, tree, session, linked: new Set() }, '', entries);
}

async function walkEntries(walk: Walk, relative: string, entries: fs.Dirent[]): Promise<void> {
  for (const entry of entries) {
    const name = `${relative}/${entry.name}`;
    const where = locateFile(walk.session, walk.tree, name);

    try {
      await scanEntry(walk, name, entry, where);
    } catch (error) {
      // Named by code alone: a system error's message repeats the path, which may hold a secret.
      const reason = `cannot be read (${errorCode(error) ?? 'unknown error'})`;
      walk.session.unscanned(`${walk.tree.layer}${where.path}`, reason);
    }
  }
}

async function scanEntry(walk: Walk, name: string, entry: fs.Dirent, where: Location) {
  const file = path.join(walk.root, name);

  if (entry.isDirectory()) return walkEntries(walk, name, await readEntries(file));
  if (entry.isSymbolicLink()) {
    const target = await fs.promises.readlink(file);
    return walk.session.record({ ...where, field: 'linkname' }, walk.session.hide(target).matches);
  }
  if (entry.isFile()) return scanFile(walk, file, where);
}

/** The entries of `dir`, sorted so a report lists files in the same order on every run. */
async function readEntries(dir: string): Promise<fs.Dirent[]> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });

  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function scanFile(walk: Walk, file: string, where: Location): Promise<void> {
  const handle = await fs.promises.open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);

  try {
    // Checked on what was opened: the entry could have been replaced since it was listed.
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size === 0 || isLinkSeen(walk, stat)) return;

    await searchContent(walk.session, where, handle.createReadStream({ autoClose: false }));
  } finally {
    await handle.close();
  }
}

function isLinkSeen(walk: Walk, stat: fs.Stats): boolean {
  if (stat.nlink < 2) return false;

  const key = `${stat.dev}:${stat.ino}`;
  if (walk.linked.has(key)) return true;
  walk.linked.add(key);
  return false;
}
