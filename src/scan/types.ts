// What the leak scanner takes and returns. A report names secrets by name and scope and places
// by layer, file and field; it never holds a value or an encoded form of one.

import type { Scope } from '../secrets/model.js';
import type { LeakForm } from './needles.js';

export interface ScanSecret {
  readonly name: string;
  readonly scope: Scope;
  readonly value: Buffer;
  /** Set for registry secrets: docker stores `base64(user:password)` as `auth`. */
  readonly registryUser?: string;
}

/**
 * `layer`: a filesystem layer, `path` is the file in it. `config`: the image config (env, labels,
 * history with build args), `field` is where. `metadata`: any other file of the export
 * (manifests, index, attestations, legacy per-layer JSON). `file`: a file of a build output that
 * is the root filesystem itself (`--output type=local|tar`), `path` is the file in it.
 */
export type FindingSource = 'layer' | 'config' | 'metadata' | 'file';

export interface Finding {
  readonly secret: string;
  /** As `describeScope` prints it: `project acme/web`. */
  readonly scope: string;
  readonly form: LeakForm;
  readonly source: FindingSource;
  /**
   * The layer's digest when the export names it, else the file's path in the export; for a
   * `file`, the directory or tar file the build wrote.
   */
  readonly layer: string;
  /** The file inside the layer or output, absolute; a secret in the name is shown as `***`. */
  readonly path?: string;
  /** `config.Env[2]`, `history[3].created_by`; for a layer file, `name`, `linkname` or `pax.*`. */
  readonly field?: string;
}

export interface SkippedSecret {
  readonly secret: string;
  readonly scope: string;
  readonly reason: 'too-short';
}

/** A part of the export the scanner could not read, so the report is incomplete there. */
export interface UnscannedPart {
  readonly layer: string;
  readonly reason: string;
}

export interface ScanStats {
  /** Bytes of file content searched, after decompression; names and JSON text not counted. */
  readonly bytes: number;
  readonly layers: number;
  readonly files: number;
}

export interface ScanReport {
  readonly image?: string;
  /** The directory or tar file of a `--output type=local|tar`, when that is what was scanned. */
  readonly output?: string;
  readonly findings: Finding[];
  readonly skipped: SkippedSecret[];
  readonly unscanned: UnscannedPart[];
  readonly stats: ScanStats;
}
