// The temp roots named explicitly (`--tmpdir`, ONA_BUILD_TMPDIR) that runs have used. A run killed
// with SIGKILL leaves its run directory, secret files and all, in its root; neither `gc` nor a
// later run with the default roots would look there. Each run records its explicit root in a list
// in the user's data directory (wherever the store is), and every sweep reads it.
//
// The list only says where to look: a sweep still removes nothing but run directories of this
// user whose owner is gone. It only grows (one line per directory ever used): rewriting it to
// drop a root could lose another run's line written at the same moment.

import fs from 'node:fs';
import path from 'node:path';

import { defaultDataDir } from '../paths.js';
import { makePrivateDirs } from '../private-dirs.js';

const LIST_FILE = 'temp-roots';

export function knownRootsFile(env: NodeJS.ProcessEnv): string {
  return path.join(defaultDataDir(env), LIST_FILE);
}

/** The roots recorded so far, each once; none when the list is missing or unreadable. */
export function knownRoots(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [...new Set(text.split('\n').filter((line) => path.isAbsolute(line)))];
}

/**
 * Adds `root` to the list unless it is there. One short line written with O_APPEND lands whole,
 * so runs recording at the same time lose nothing (at worst a root is listed twice).
 */
export function rememberRoot(file: string, root: string): void {
  const absolute = path.resolve(root);
  if (absolute.includes('\n') || knownRoots(file).includes(absolute)) return;

  makePrivateDirs(path.dirname(file));
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND;
  const fd = fs.openSync(file, flags | fs.constants.O_NOFOLLOW, 0o600);
  try {
    fs.writeSync(fd, `${absolute}\n`);
  } finally {
    fs.closeSync(fd);
  }
}
