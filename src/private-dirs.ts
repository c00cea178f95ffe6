// Creates a directory and its missing parents, each mode 0700 (less the umask), one level at a
// time. Node 20's own `mkdirSync(dir, { recursive: true })` never returns for a path under a
// filesystem that refuses new entries with ENOENT (`/proc/x/store.db`): it steps back to the
// parent on ENOENT and forward again on its EEXIST, forever, at full CPU. Here the first error
// that is not EEXIST is thrown, as a plain mkdir reports it.

import fs from 'node:fs';
import path from 'node:path';

import { lexists } from './lexists.js';

export function makePrivateDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = path.resolve(dir); !lexists(at); at = path.dirname(at)) {
    missing.push(at);
    if (path.dirname(at) === at) break;
  }

  for (const level of missing.reverse()) {
    try {
      fs.mkdirSync(level, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }

  // What was there already must be a directory, or a link to one (a dangling link throws ENOENT).
  if (!fs.statSync(dir).isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), {
      code: 'ENOTDIR',
      path: dir,
    });
  }
}
