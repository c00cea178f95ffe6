// Sweeps run directories left behind by runs that could not clean up (SIGKILL, power loss).
// Only directories of ours whose owning process is gone are removed.

import fs from 'node:fs';
import path from 'node:path';

import { BUILDER_FILE, OWNER_FILE, ownerStamp, RUN_DIR_NAME } from './run-dir.js';

export interface SweepResult {
  readonly removed: string[];
  readonly kept: string[];
}

export function sweepStaleRunDirs(roots: readonly string[]): SweepResult {
  const result: SweepResult = { removed: [], kept: [] };
  const uid = process.getuid?.() ?? 0;

  for (const root of new Set(roots)) {
    for (const name of listRunDirs(root)) {
      const dir = path.join(root, name);
      const stat = lstatOrUndefined(dir);
      if (!stat?.isDirectory() || stat.uid !== uid) continue;

      if (isOwnerAlive(dir, name)) {
        result.kept.push(dir);
        continue;
      }
      stopOrphanBuilder(dir);
      fs.rmSync(dir, { recursive: true, force: true });
      result.removed.push(dir);
    }
  }
  return result;
}

function listRunDirs(root: string): string[] {
  try {
    // Only names a run gives: another `ona-build-something` of the user's is none of ours.
    return fs.readdirSync(root).filter((name) => RUN_DIR_NAME.test(name));
  } catch {
    return [];
  }
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The owner is alive when a process with the recorded pid exists and started at the recorded
 * time. A directory with no readable owner file is kept while the pid in its name is alive
 * (it may be a run that is just being created).
 */
function isOwnerAlive(dir: string, name: string): boolean {
  const pidInName = Number(/^ona-build-(\d+)-/.exec(name)?.[1]);
  let recorded: string | undefined;
  try {
    recorded = fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8').trim();
  } catch {
    recorded = undefined;
  }

  if (recorded) {
    const pid = Number(recorded.split(' ')[0]);
    return ownerStamp(pid) === recorded;
  }
  return Number.isInteger(pidInName) && ownerStamp(pidInName) !== undefined;
}

/**
 * A run killed with SIGKILL leaves its builder running (it is in its own process group). The
 * builder still holds the secret mounts, so its group is killed before the files go; the start
 * time recorded with the pid makes sure a reused pid is never hit.
 */
function stopOrphanBuilder(dir: string): void {
  let recorded: string;
  try {
    recorded = fs.readFileSync(path.join(dir, BUILDER_FILE), 'utf8').trim();
  } catch {
    return;
  }

  const pid = Number(recorded.split(' ')[0]);
  if (!Number.isInteger(pid) || pid <= 1 || ownerStamp(pid) !== recorded) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}
