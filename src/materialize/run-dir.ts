// A per-run private directory under a temp root. Its name carries a recognisable prefix and the
// owning process id, and an `.owner` file holds the pid and the process start time, so a later
// run (or `gc`) can tell a directory whose owner is gone from one that is still in use, even
// when the pid has been reused.

import fs from 'node:fs';
import path from 'node:path';

import { MaterializeError } from '../errors.js';

export const RUN_DIR_PREFIX = 'ona-build-';
/** The names createRunDir gives: the prefix, the owner's pid, and mkdtemp's six characters. */
export const RUN_DIR_NAME = /^ona-build-\d+-[A-Za-z0-9]{6}$/;
export const OWNER_FILE = '.owner';
export const BUILDER_FILE = '.builder';
const CREATE_FLAGS =
  fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

export interface RunDir {
  readonly path: string;
  /** Records the builder's process group, so a sweep can stop it if this run is killed. */
  recordBuilder(pid: number): void;
  /** Removes the directory and everything in it; never follows symlinks. Safe to call twice. */
  remove(): void;
}

// The run directories of this process not yet removed, with their builders' process groups: what
// a crash (an exception nothing caught) must still stop and remove before the process goes.
const live = new Map<string, number | undefined>();

/**
 * Stops the builders and removes the run directories this process still has: for a crash, when
 * the `finally` that would have done it will not run. The next run's sweep remains the backstop.
 */
export function removeLiveRunDirs(): void {
  for (const [dir, builder] of live) {
    if (builder !== undefined) {
      try {
        process.kill(-builder, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
}

/** Creates the run directory with mkdtemp (mode 0700, unpredictable name). */
export function createRunDir(root: string): RunDir {
  const prefix = path.join(root, `${RUN_DIR_PREFIX}${process.pid}-`);
  let dir: string;
  try {
    dir = fs.mkdtempSync(prefix);
  } catch (error) {
    throw new MaterializeError(`cannot create a private directory in ${root}`, 'RUN_DIR', {
      cause: error,
    });
  }

  live.set(dir, undefined);
  writeFileExclusive(path.join(dir, OWNER_FILE), stampOf(process.pid));
  return {
    path: dir,
    recordBuilder: (pid) => {
      live.set(dir, pid);
      writeFileExclusive(path.join(dir, BUILDER_FILE), stampOf(pid));
    },
    remove: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      live.delete(dir);
    },
  };
}

/**
 * Writes a new file that must not exist yet, mode 0600 from its creation (no chmod window), and
 * never through a symlink. Maps ENOSPC to a clear error; the partial file is removed.
 */
export function writeFileExclusive(file: string, data: Buffer, mode = 0o600): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, CREATE_FLAGS, mode);
    let offset = 0;
    while (offset < data.length) offset += fs.writeSync(fd, data, offset);
  } catch (error) {
    if (fd !== undefined) fs.rmSync(file, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOSPC' ? 'the temp filesystem is full' : `failed (${code})`;
    throw new MaterializeError(`writing ${file}: ${reason}`, 'WRITE', { cause: error });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function stampOf(pid: number): Buffer {
  return Buffer.from(ownerStamp(pid) ?? `${pid}`);
}

/** `pid starttime`, from /proc; undefined when the process does not exist. */
export function ownerStamp(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${pid} ${fields[19]}`;
  } catch {
    return undefined;
  }
}
