// Scans an image export read as a tar stream: what `docker save` and the engine's export API
// write, and what `docker buildx build --output type=docker|oci,dest=<file>` leaves on disk.

import type { Readable } from 'node:stream';

import { OnaBuildError } from '../errors.js';
import { walkExport } from './export-walk.js';
import { ScanSession } from './session.js';
import type { ScanReport, ScanSecret } from './types.js';

/** Searches every layer, config and metadata file in `stream` for the secrets' values. */
export async function scanTarStream(
  stream: Readable,
  secrets: readonly ScanSecret[],
): Promise<ScanReport> {
  const session = new ScanSession(secrets);

  try {
    await walkExport(stream, session);
  } catch (error) {
    stream.destroy();
    throw new OnaBuildError(
      `cannot read the image export: ${describeError(error)}`,
      'SCAN_READ',
      1,
      { cause: error },
    );
  }
  return session.report();
}

// Tar and gzip errors describe the structure ("unexpected end of data"), never file content.
function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
