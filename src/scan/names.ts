// Names that go into a report: file paths inside layers, layer names in the export, JSON member
// names. A step can put a secret into a name (`touch /tmp/$TOKEN`), so a name is shown with every
// needle in it replaced by `***`.

import { MASK_TEXT } from '../redact/render.js';
import type { Match, NeedleMatcher } from './matcher.js';

const OCI_BLOB = /^blobs\/(sha256|sha512)\/([0-9a-f]{64,128})$/;
const DOCKER_CONFIG = /^([0-9a-f]{64})\.json$/;

/** `text` with each needle in it replaced by `***`; overlapping needles give one `***`. */
export function hideNeedles(text: string, matcher: NeedleMatcher, patterns: readonly Buffer[]) {
  const bytes = Buffer.from(text, 'utf8');
  const matches = matcher.findAll(bytes);
  if (matches.length === 0) return { text, matches };

  return { text: maskSpans(bytes, spansOf(matches, patterns)), matches };
}

function spansOf(matches: readonly Match[], patterns: readonly Buffer[]): [number, number][] {
  return matches
    .map(({ needle, offset }): [number, number] => [offset, offset + patterns[needle].length])
    .sort((a, b) => a[0] - b[0]);
}

function maskSpans(bytes: Buffer, spans: readonly [number, number][]): string {
  const parts: string[] = [];
  let written = 0;

  for (const [start, end] of spans) {
    if (end <= written) continue;
    if (start > written) parts.push(bytes.toString('utf8', written, start));
    if (start >= written) parts.push(MASK_TEXT);
    written = end;
  }
  parts.push(bytes.toString('utf8', written));
  return parts.join('');
}

/** A layer entry's name as an absolute path: `./etc/x` and `etc/x` are both `/etc/x`. */
export function layerPath(name: string): string {
  const trimmed = name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
  return `/${trimmed}`;
}

/** Whiteouts mark files a layer deletes: zero bytes whose names repeat a lower layer's file. */
export function isWhiteout(name: string): boolean {
  return /(^|\/)\.wh\./.test(name);
}

/**
 * An export file's name for a report: a blob's digest (`sha256:...`), else its path. `docker save`
 * names the config after its digest (`<hex>.json`), which is the image id.
 */
export function exportName(name: string): string {
  const path = name.replace(/^\.\//, '');
  const blob = OCI_BLOB.exec(path);
  if (blob !== null) return `${blob[1]}:${blob[2]}`;

  const config = DOCKER_CONFIG.exec(path);
  return config === null ? path : `sha256:${config[1]}`;
}
