// Where secret files may be written: a tmpfs, so no value ever reaches a disk. The root is
// checked before use: it must be a real tmpfs (unless the caller explicitly allows disk), must not
// be a symlink, and must not be writable by others unless it has the sticky bit.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { MaterializeError } from '../errors.js';

const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

/** Characters that would break the CSV `--secret id=...,src=PATH` spec if they were in a path. */
const CSV_UNSAFE = /[,"\n\r]/;

export interface TempRootOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Explicit root (`--tmpdir` / `ONA_BUILD_TMPDIR`); must still be tmpfs unless allowDisk. */
  readonly explicit?: string;
  /** Accept a root that is not tmpfs. Only when the user asked for it in so many words. */
  readonly allowDisk?: boolean;
}

export interface TempRoot {
  readonly path: string;
  readonly isTmpfs: boolean;
  /** The better candidates it was chosen over, each with why it was unusable. */
  readonly passedOver: string[];
}

/** The candidate roots, best first. */
export function candidateRoots(options: TempRootOptions): string[] {
  // Absolute, as they end up in PATH, DOCKER_CONFIG and --secret flags: a relative one would
  // name another place once a command (exec) changes directory.
  if (options.explicit) return [path.resolve(options.explicit)];

  const roots: string[] = [];
  if (options.env.XDG_RUNTIME_DIR) roots.push(path.resolve(options.env.XDG_RUNTIME_DIR));
  roots.push('/dev/shm');
  if (options.allowDisk) roots.push(os.tmpdir());
  return roots;
}

/**
 * Picks the first usable root, or explains why none is. A tmpfs root always wins: allowDisk only
 * permits falling back to disk when no candidate is a usable tmpfs.
 */
export function chooseTempRoot(options: TempRootOptions): TempRoot {
  const roots = candidateRoots(options);
  let problems: string[] = [];

  for (const allowDisk of options.allowDisk === true ? [false, true] : [false]) {
    problems = [];
    for (const root of roots) {
      const problem = checkRoot(root, allowDisk);
      if (problem === undefined) {
        return { path: root, isTmpfs: isMemoryFs(root), passedOver: problems };
      }
      problems.push(`${root}: ${problem}`);
    }
  }

  throw new MaterializeError(
    `no safe place for secret files (${problems.join('; ')}). ` +
      'Set XDG_RUNTIME_DIR or --tmpdir to a tmpfs directory, or pass --allow-disk-secrets ' +
      'to accept a directory on disk',
    'NO_TMPFS',
  );
}

/** Undefined when the root is usable, else the reason it is not. */
export function checkRoot(root: string, allowDisk: boolean): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(root);
  } catch {
    return 'does not exist';
  }

  if (stat.isSymbolicLink()) return 'is a symbolic link';
  if (!stat.isDirectory()) return 'is not a directory';
  if (CSV_UNSAFE.test(root)) return 'contains a comma, a quote or a newline';
  if (!allowDisk && !isMemoryFs(root)) return 'is not a tmpfs';

  const uid = process.getuid?.() ?? 0;
  const othersCanWrite = (stat.mode & 0o022) !== 0;
  const sticky = (stat.mode & 0o1000) !== 0;
  if (othersCanWrite && !sticky) return 'is writable by others without the sticky bit';
  if (stat.uid !== uid && stat.uid !== 0) return 'is owned by another user';
  return undefined;
}

export function isMemoryFs(dir: string): boolean {
  try {
    const { type } = fs.statfsSync(dir);
    return type === TMPFS_MAGIC || type === RAMFS_MAGIC;
  } catch {
    return false;
  }
}
