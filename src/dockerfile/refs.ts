// What a FROM, `COPY --from` or `RUN --mount from=` names: a stage of this Dockerfile, scratch,
// or an image on some registry. Only images count as registries the build pulls from.
// Upstream: moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go (toDispatchState,
// toCommand, detectRunMount), v0.33.

import { registryOfImage } from '../secrets/registry-host.js';
import { isKnown, UNKNOWN } from './expand.js';
import { isValidImageReference } from './image-ref.js';
import type { AnalysisReport } from './report.js';
import type { RegistryRef } from './types.js';

/** Stage names, lower-cased as BuildKit stores them, by index; undefined for unnamed stages. */
export type StageNames = readonly (string | undefined)[];

export type Source = { kind: 'stage'; index: number } | { kind: 'scratch' } | { kind: 'image' };

/**
 * What a FROM base names, compared as written with the lower-cased stage names. Only stages
 * defined before this one count: a later stage's name is pulled as an image. With duplicate names
 * the latest earlier one wins.
 */
export function classifyBase(base: string, names: StageNames, current: number): Source {
  if (base === 'scratch') return { kind: 'scratch' };
  const index = names.slice(0, current).lastIndexOf(base);
  return index === -1 ? { kind: 'image' } : { kind: 'stage', index };
}

/**
 * What a `--from` value names. Names match any stage, case-insensitively (the last one of
 * duplicates); only COPY also takes a 0-based index.
 */
export function classifyFrom(value: string, names: StageNames, allowIndex: boolean): Source {
  if (allowIndex && /^[+-]?\d+$/.test(value)) return { kind: 'stage', index: Number(value) };
  const index = names.lastIndexOf(value.toLowerCase());
  return index === -1 ? { kind: 'image' } : { kind: 'stage', index };
}

export interface ImageText {
  /** Expanded; UNKNOWN marks parts only known at build time. */
  readonly text: string;
  /** As written in the Dockerfile. */
  readonly raw: string;
  readonly problems: readonly string[];
}

/** Counts an image as a registry, or explains why it cannot. */
export function addImage(
  report: AnalysisReport,
  image: ImageText,
  where: Pick<RegistryRef, 'line' | 'via'>,
): void {
  if (isKnown(image.text)) {
    if (isValidImageReference(image.text)) {
      report.addRegistry({ host: registryOfImage(image.text), image: image.text, ...where });
    } else {
      report.warn(where.line, `"${image.text}" is not a valid image reference: the pull fails`);
    }
    return;
  }

  report.warn(where.line, `cannot resolve image "${image.raw}": ${image.problems.join('; ')}`);
  const host = knownHost(image.text);
  if (host === undefined) report.markRegistriesUnknown();
  else report.addRegistry({ host, image: image.raw, ...where });
}

// The registry is the first path component, so it is known when nothing unknown comes before
// the first slash (`ghcr.io/acme/app:${TAG}`), and unknown otherwise (`node:${TAG}` could still
// turn out to be `host:5000/...`).
function knownHost(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (slash === -1 || text.indexOf(UNKNOWN) < slash) return undefined;
  return registryOfImage(text);
}
