// Scans what `docker buildx build --output type=local|tar` wrote: the build's root filesystem as
// a directory, or as a tar of it. Unlike an image export it has no layers, config or manifests:
// every entry is a file of the result, searched as a layer's files are and reported by its path
// in the output.

import type { Readable } from 'node:stream';

import { errorCode } from '../errno.js';
import { OnaBuildError } from '../errors.js';
import { walkDirectory } from './dir-walk.js';
import type { FileTree } from './file-tree.js';
import { walkFileTar } from './layer-walk.js';
import { ScanSession } from './session.js';
import type { ScanReport, ScanSecret } from './types.js';

/** Searches every file under `dir` (`type=local,dest=DIR`) without following links out of it. */
export async function scanDirectory(
  dir: string,
  secrets: readonly ScanSecret[],
): Promise<ScanReport> {
  return scanOutput(dir, secrets, (tree, session) => walkDirectory(dir, tree, session));
}

/** Searches every file in a root filesystem tar (`type=tar,dest=FILE`), named `output`. */
export async function scanFilesystemTar(
  stream: Readable,
  secrets: readonly ScanSecret[],
  output: string,
): Promise<ScanReport> {
  return scanOutput(output, secrets, async (tree, session) => {
    try {
      await walkFileTar(stream, tree, session);
    } finally {
      stream.destroy();
    }
  });
}

async function scanOutput(
  output: string,
  secrets: readonly ScanSecret[],
  walk: (tree: FileTree, session: ScanSession) => Promise<void>,
): Promise<ScanReport> {
  const session = new ScanSession(secrets);

  try {
    await walk({ source: 'file', layer: output }, session);
  } catch (error) {
    throw new OnaBuildError(
      `cannot read the build output ${output}: ${describeError(error)}`,
      'SCAN_READ',
      1,
      { cause: error },
    );
  }
  return { ...session.report(), output };
}

// A system error by its code (its message repeats paths, which the output's files may have put
// secrets in); tar errors describe the structure ("unexpected end of data"), never file content.
function describeError(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}
