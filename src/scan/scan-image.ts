// Scans an image in the local engine: exports it through the engine API and reads the export as
// it streams, so a large image is never written to disk.

import type { Readable } from 'node:stream';

import Dockerode from 'dockerode';

import { engineOptions } from '../docker/engine-endpoint.js';
import { DockerUnavailableError, OnaBuildError } from '../errors.js';
import { scanTarStream } from './scan-tar.js';
import type { ScanReport, ScanSecret } from './types.js';

export interface ScanImageOptions {
  /** A name, `name:tag`, or id of an image in the local engine. */
  readonly image: string;
  readonly secrets: readonly ScanSecret[];
  /** The engine to export from; otherwise the one the docker CLI would use with `env`. */
  readonly docker?: Dockerode;
  readonly env?: NodeJS.ProcessEnv;
}

export async function scanImage(options: ScanImageOptions): Promise<ScanReport> {
  const docker = options.docker ?? new Dockerode(engineOptions(options.env ?? process.env));
  const exported = await exportImage(docker, options.image);

  const report = await scanTarStream(exported, options.secrets);
  return { ...report, image: options.image };
}

// Letters, digits and the separators of name, tag, digest and registry port. Anything else would
// reach the engine API as a broken request path, which fails like an engine that is not there.
const REFERENCE = /^[\w.:/@-]+$/;

async function exportImage(docker: Dockerode, image: string): Promise<Readable> {
  if (!REFERENCE.test(image)) {
    throw new OnaBuildError(
      `${JSON.stringify(image)} is not an image reference (name, name:tag, name@digest or id)`,
      'SCAN_BAD_REFERENCE',
      1,
    );
  }

  try {
    return (await docker.getImage(image).get()) as unknown as Readable;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) {
      throw new OnaBuildError(`image ${image} is not in the local engine`, 'SCAN_NO_IMAGE', 1, {
        cause: error,
      });
    }
    if (status === undefined) {
      throw new DockerUnavailableError(`cannot reach the engine to export ${image}`, {
        cause: error,
      });
    }
    throw new OnaBuildError(`the engine could not export ${image}`, 'SCAN_EXPORT', 1, {
      cause: error,
    });
  }
}
