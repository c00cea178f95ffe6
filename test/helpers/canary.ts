// A canary is a unique secret value planted in a test and then looked for everywhere it must not
// be: output, logs, the argv and environment of every process, and files left on disk or tmpfs.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function makeCanary(): Buffer {
  return Buffer.from(`canary-${randomBytes(12).toString('hex')}`);
}

/** Files (recursively) under `root` whose bytes contain `needle`. Symlinks are not followed. */
export function filesContaining(root: string, needle: Buffer): string[] {
  const hits: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && readOrEmpty(full).includes(needle)) hits.push(full);
    }
  };
  walk(root);
  return hits;
}

/** Every entry under `root` whose name starts with `prefix` (what ona-build leaves behind). */
export function leftovers(root: string, prefix = 'ona-build-'): string[] {
  try {
    return fs.readdirSync(root).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
}

function readOrEmpty(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
