// The builder reads every local build context it is given, and a Dockerfile's `COPY . /app` puts
// all of it into the image. ona-build's own files must never be among them: the run directory
// (plaintext secret files, the registry auth), the master key file (with the store, every value),
// and, less gravely, the store itself (names, scopes and mount paths are not encrypted).

import fs from 'node:fs';
import path from 'node:path';

import { MaterializeError, StoreError } from '../errors.js';
import type { Logger } from '../log.js';
import { buildContextSources, isLocalContext, type PassthroughInfo } from './passthrough.js';

/** The files of ona-build's own that a build must not be able to read. */
export interface OwnFiles {
  /** The directory the run directory goes in (the temp root). */
  readonly tempRoot: string;
  readonly store?: string;
  /** Undefined when the master key comes from ONA_BUILD_MASTER_KEY. */
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

  const keyContext = own.keyFile === undefined ? undefined : containing(contexts, own.keyFile);
  if (keyContext !== undefined) {
    throw new StoreError(
      `the master key file ${own.keyFile} is inside the build context ${keyContext}: the build ` +
        'could copy it into the image, and with it every stored value; move it out of the ' +
        'context (--key-file or ONA_BUILD_KEY_FILE)',
      'KEY_IN_CONTEXT',
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

/** The main context when it is a local path, and the local paths of `--build-context`. */
export function localContexts(info: PassthroughInfo, args: readonly string[]): string[] {
  const main = isLocalContext(info.context) ? [info.context] : [];
  // Other sources (docker-image://, oci-layout://, target:, URLs) are no local directory.
  const named = buildContextSources(args).filter((source) => !/^[a-z][a-z0-9+.-]*:/i.test(source));
  return [...main, ...named];
}

/** The first of `dirs` that is `file` or holds it, both with symbolic links resolved. */
function containing(dirs: readonly string[], file: string): string | undefined {
  const target = realpathOrResolved(file);
  return dirs.find((dir) => {
    const relative = path.relative(realpathOrResolved(dir), target);
    const outside = relative === '..' || relative.startsWith(`..${path.sep}`);
    return !outside && !path.isAbsolute(relative);
  });
}

/** The real path, or for a file not there yet, its parent's real path joined with its name. */
function realpathOrResolved(file: string): string {
  const absolute = path.resolve(file);
  try {
    return fs.realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute
      ? absolute
      : path.join(realpathOrResolved(parent), path.basename(absolute));
  }
}
