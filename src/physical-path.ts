// A path as the kernel follows it, which is how buildx and the docker client open what they are
// given: `link/../x` is `x` next to the link's target, not next to the link. path.resolve() and
// Node's JavaScript realpath drop `..` as text first, so a context named `link/../data` looked
// like a harmless directory while the builder sent the real one.

import fs from 'node:fs';
import path from 'node:path';

/** The real path of `file` (relative to the current directory), or of its nearest parent. */
export function physicalPath(file: string): string {
  const raw = path.isAbsolute(file) ? file : `${process.cwd()}${path.sep}${file}`;
  try {
    return fs.realpathSync.native(raw);
  } catch {
    // Not there (yet): its parent's real path and its name. A missing `..` or `.` has no
    // meaning to follow, so the text is the best there is.
    const trimmed = raw.replace(/\/+$/, '');
    const name = path.basename(trimmed);
    const parent = trimmed.slice(0, trimmed.length - name.length);
    if (name === '' || name === '.' || name === '..' || parent === '') return path.resolve(raw);
    return path.join(physicalPath(parent), name);
  }
}
