// The builder reads every local build context it is given, and a Dockerfile's `COPY . /app` puts
// all of it into the image. ona-build's own files must never be among them: the run directory
// (plaintext secret files, the registry auth), the master key file (with the store, every value),
// and, less gravely, the store itself (names, scopes and mount paths are not encrypted).

import path from 'node:path';

import { keyLinksProblem } from '../crypto/key-links.js';
import { MaterializeError, StoreError } from '../errors.js';
import { RUN_DIR_PREFIX } from '../materialize/run-dir.js';
import type { Logger } from '../log.js';
import { lexists } from '../lexists.js';
import { physicalPath } from '../physical-path.js';
import { fingerprintKeyFile } from './fingerprints.js';
import {
  buildContextSources,
  isLocalContext,
  isLocalSource,
  localDockerfilePath,
  type PassthroughInfo,
} from './passthrough.js';

/** The files of ona-build's own that a build must not be able to read. */
export interface OwnFiles {
  /** The directory the run directory goes in (the temp root). */
  readonly tempRoot: string;
  readonly store?: string;
  /** Checked only where a file is: with ONA_BUILD_MASTER_KEY set, there may be none. */
  readonly keyFile?: string;
}

/**
 * Refuses a build whose local contexts (the main one, and `--build-context NAME=PATH`) hold the
 * temp root (exit 5) or the master key file (exit 4); warns about one holding the store.
 * `.dockerignore` is not consulted: a rule there is one edit away from sending the files.
 */
export function refuseOwnFilesInContexts(
  info: PassthroughInfo,
  args: readonly string[],
  own: OwnFiles,
  logger: Logger,
): void {
  const contexts = localContexts(info, args);

  const root = containing(contexts, own.tempRoot);
  if (root !== undefined) {
    throw new MaterializeError(
      `the directory for secret files (${own.tempRoot}) is inside the build context ${root}: ` +
        'the build could copy the secret files into the image; use a --tmpdir outside it',
      'RUN_DIR_IN_CONTEXT',
    );
  }

  // A key that comes from ONA_BUILD_MASTER_KEY may still have a file: it is refused if there.
  const keyFile = own.keyFile !== undefined && lexists(own.keyFile) ? own.keyFile : undefined;
  refuseOwnDockerfile(info, own, keyFile);
  const keyContext = keyFile === undefined ? undefined : containing(contexts, keyFile);
  if (keyContext !== undefined) {
    throw new StoreError(
      `the master key file ${own.keyFile} is inside the build context ${keyContext}: the build ` +
        'could copy it into the image, and with it every stored value; move it out of the ' +
        'context (--key-file or ONA_BUILD_KEY_FILE)',
      'KEY_IN_CONTEXT',
    );
  }

  const linksProblem = keyFile === undefined ? undefined : keyLinksProblem(keyFile);
  if (linksProblem !== undefined) logger.warn(linksProblem);

  // With the fingerprints beside it, the fingerprint key lets a copy test guesses at values.
  const fingerprintKey = own.store && fingerprintKeyFile(path.dirname(physicalPath(own.store)));
  const keyedContext =
    fingerprintKey && lexists(fingerprintKey) ? containing(contexts, fingerprintKey) : undefined;
  if (keyedContext !== undefined) {
    throw new StoreError(
      `the fingerprint key ${fingerprintKey} is inside the build context ${keyedContext}: with ` +
        'the fingerprints beside it, a copy in the image lets anyone test guesses at secret ' +
        'values; move the store and its directory out of the context (--store or ONA_BUILD_STORE)',
      'FINGERPRINT_KEY_IN_CONTEXT',
    );
  }

  const storeContext = own.store === undefined ? undefined : containing(contexts, own.store);
  if (storeContext !== undefined) {
    logger.warn(
      `the secret store ${own.store} is inside the build context ${storeContext}: a COPY of ` +
        'it puts the encrypted store, with its names, scopes and mount paths, into the image; ' +
        'move it out of the context (--store or ONA_BUILD_STORE)',
    );
  }
}

/**
 * BuildKit prints a line of a Dockerfile it cannot parse, and those of ona-build's files are not
 * in the redactor: a `-f` (or a devcontainer.json `build.dockerfile`) naming the key file, the
 * store or a file in the temp root would print their contents in the build's log.
 */
function refuseOwnDockerfile(info: PassthroughInfo, own: OwnFiles, keyFile?: string): void {
  // A local -f is read from disk whatever the context is, a URL included.
  const named =
    info.dockerfile === undefined || info.dockerfile === '-' ? undefined : info.dockerfile;
  const dockerfile = named === undefined ? localDockerfilePath(info) : physicalPath(named);
  if (dockerfile === undefined) return;

  const ownFiles = [keyFile, own.store].filter((file) => file !== undefined);
  if (!inRunDir(own.tempRoot, dockerfile) && containing(ownFiles, dockerfile) === undefined) return;
  throw new MaterializeError(
    `the Dockerfile ${dockerfile} is one of ona-build's own files (the master key, the store or ` +
      'a secret file): the builder would print its lines',
    'OWN_FILE_AS_DOCKERFILE',
  );
}

/**
 * Whether `file` is in a run directory (this run's or another's) below the temp root. The root
 * itself is shared (/dev/shm): a Dockerfile of the user's there is theirs.
 */
function inRunDir(tempRoot: string, file: string): boolean {
  const relative = path.relative(physicalPath(tempRoot), physicalPath(file));
  return relative.startsWith(RUN_DIR_PREFIX) && !path.isAbsolute(relative);
}

/** The main context when it is a local path, and the local paths of `--build-context`. */
export function localContexts(info: PassthroughInfo, args: readonly string[]): string[] {
  const main = isLocalContext(info.context) ? [info.context] : [];
  return [...main, ...buildContextSources(args).filter(isLocalSource)];
}

/** The first of `dirs` that is `file` or holds it, both as the kernel follows them. */
function containing(dirs: readonly string[], file: string): string | undefined {
  const target = physicalPath(file);
  return dirs.find((dir) => {
    const relative = path.relative(physicalPath(dir), target);
    const outside = relative === '..' || relative.startsWith(`..${path.sep}`);
    return !outside && !path.isAbsolute(relative);
  });
}
