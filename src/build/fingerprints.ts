// BuildKit leaves secret contents out of its cache keys, so a rotated secret can leave a cached
// layer built with the old value. ona-build remembers, per project and Dockerfile, a keyed
// fingerprint of each secret a build received, and says which ones changed since the last
// successful build. Fingerprints are HMAC-SHA256 under a per-installation key: a bare hash of a
// short value could be brute-forced from the state file.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { writeFileExclusive } from '../materialize/run-dir.js';
import type { Secret } from '../secrets/model.js';
import { makePrivateDirs } from '../private-dirs.js';

export type Fingerprints = Record<string, string>;

export interface FingerprintStore {
  /** The fingerprints saved by the last successful build of this project and Dockerfile. */
  load(): Fingerprints | undefined;
  save(fingerprints: Fingerprints): void;
  compute(secrets: readonly Secret[]): Fingerprints;
}

/** The per-installation key, in the state directory next to the store. */
export function fingerprintKeyFile(stateDir: string): string {
  return path.join(stateDir, 'fingerprint.key');
}

export function openFingerprintStore(stateDir: string, buildKey: string[]): FingerprintStore {
  const key = loadOrCreateKey(fingerprintKeyFile(stateDir));
  const name = createHash('sha256').update(buildKey.join('\0')).digest('hex').slice(0, 32);
  const file = path.join(stateDir, 'fingerprints', `${name}.json`);

  return {
    load: () => readJson(file),
    save: (fingerprints) => writeAtomically(file, JSON.stringify(fingerprints)),
    compute: (secrets) =>
      Object.fromEntries(
        secrets.map((secret) => [
          secret.name,
          createHmac('sha256', key)
            .update(secret.name)
            .update('\0')
            .update(secret.value)
            .digest('hex'),
        ]),
      ),
  };
}

/** Ids whose fingerprint differs, including ids that appeared or disappeared. */
export function changedIds(previous: Fingerprints, current: Fingerprints): string[] {
  const ids = new Set([...Object.keys(previous), ...Object.keys(current)]);
  return [...ids].filter((id) => previous[id] !== current[id]).sort();
}

function loadOrCreateKey(file: string): Buffer {
  makePrivateDirs(path.dirname(file));
  try {
    writeFileExclusive(file, randomBytes(32));
  } catch {
    // Already there (or created by a concurrent run): use it.
  }
  return fs.readFileSync(file);
}

function readJson(file: string): Fingerprints | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Fingerprints) : undefined;
  } catch {
    return undefined;
  }
}

/** Write to a temporary name, then rename, so a concurrent reader never sees half a file. */
function writeAtomically(file: string, text: string): void {
  makePrivateDirs(path.dirname(file));
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode: 0o600 });
  fs.renameSync(temporary, file);
}
