// What the leak scan reads for each output of a build, decided from the flags before it runs:
// the image in the engine (found through an `--iidfile`), an image archive, an exported
// directory or root filesystem tar, or nothing it can read, with the reason.

import path from 'node:path';

import { parseGoBool } from '../go-bool.js';
import { buildOutputs, type BuildOutput, writesToStdout } from './build-outputs.js';

export type ScanPlace =
  /** The image in the engine, which the build names in an image ID file. */
  | { readonly kind: 'engine' }
  /** A `docker save` archive or OCI layout tar (`type=docker|oci,dest=FILE`). */
  | { readonly kind: 'image-archive'; readonly path: string }
  /** The root filesystem as files (`type=local,dest=DIR`, or `-o DIR`). */
  | { readonly kind: 'directory'; readonly path: string }
  /** The root filesystem as a tar (`type=tar,dest=FILE`). */
  | { readonly kind: 'filesystem-tar'; readonly path: string }
  /** An archive on stdout, watched as it passes rather than scanned afterwards. */
  | { readonly kind: 'stdout' }
  /** `cacheonly`: the build exports nothing. */
  | { readonly kind: 'nothing' }
  | { readonly kind: 'unscannable'; readonly reason: string };

const ENGINE: ScanPlace = { kind: 'engine' };

/** One place per output; the builder's default (no output) is the image in the engine. */
export function scanPlaces(args: readonly string[]): ScanPlace[] {
  const outputs = buildOutputs(args);
  const places = outputs.length === 0 ? [ENGINE] : outputs.map(placeOf);
  if (!outputs.some(refusesImageIdFile)) return places;

  // buildx refuses an image ID file next to a local or tar exporter, and nothing else names the
  // image it also loads; an `--iidfile` added for it would fail the whole build.
  const reason =
    'the image loaded into the engine is not scanned next to a type=local or type=tar output ' +
    '(buildx then writes no image ID to find it by); build it separately to scan it';
  return places.map((place) => (place.kind === 'engine' ? { kind: 'unscannable', reason } : place));
}

function placeOf(output: BuildOutput): ScanPlace {
  if (writesToStdout(output)) return { kind: 'stdout' };
  const dest = output.dest ? path.resolve(output.dest) : undefined;

  switch (output.type) {
    case 'local':
      return dest ? { kind: 'directory', path: dest } : unscannable(output, 'it names no dest');
    case 'tar':
      return dest ? { kind: 'filesystem-tar', path: dest } : { kind: 'stdout' };
    case 'docker':
    case 'oci':
      if (!dest) return ENGINE;
      if (parseGoBool(output.attrs.tar ?? '') === false) {
        return unscannable(output, 'an image layout directory (tar=false) is not read; drop tar');
      }
      return { kind: 'image-archive', path: dest };
    case 'image':
      return ENGINE;
    case 'cacheonly':
      return { kind: 'nothing' };
    default:
      return unscannable(output, 'the scan does not know what this exporter writes');
  }
}

function refusesImageIdFile(output: BuildOutput): boolean {
  return output.type === 'local' || output.type === 'tar';
}

// Only the type and dest are shown: other attributes (annotations, names) are the user's text.
function unscannable(output: BuildOutput, why: string): ScanPlace {
  const dest = output.dest === undefined ? '' : `,dest=${output.dest}`;
  return {
    kind: 'unscannable',
    reason: `--output type=${output.type}${dest} is not scanned: ${why}`,
  };
}
