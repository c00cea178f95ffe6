// The state of one scan: the needles, what was found, what could not be read, and what the export
// says about its layers (layer-names.ts).

import { describeScope } from '../secrets/validate.js';
import { Findings, type Location } from './findings.js';
import { jsonTexts } from './json-fields.js';
import { LayerNames } from './layer-names.js';
import { NeedleMatcher, type Match } from './matcher.js';
import { hideNeedles } from './names.js';
import { buildNeedles, type NeedleSet } from './needles.js';
import type { FindingSource, ScanReport, ScanSecret, UnscannedPart } from './types.js';

export interface ContentSearch {
  write(chunk: Buffer): void;
  /** Records what was found; call at the end of the stream. */
  close(): void;
}

const SOURCE_ORDER: FindingSource[] = ['file', 'layer', 'config', 'metadata'];

export class ScanSession {
  readonly stats = { bytes: 0, layers: 0, files: 0 };
  readonly layers = new LayerNames();
  readonly #secrets: readonly ScanSecret[];
  readonly #needles: NeedleSet;
  readonly #matcher: NeedleMatcher;
  readonly #findings: Findings;
  readonly #unscanned: UnscannedPart[] = [];

  constructor(secrets: readonly ScanSecret[]) {
    this.#secrets = secrets;
    this.#needles = buildNeedles(secrets);
    this.#matcher = new NeedleMatcher(this.#needles.patterns);
    this.#findings = new Findings(this.#needles, secrets);
  }

  /** Searches a stream read chunk by chunk: a file's content, a blob. */
  open(where: Location): ContentSearch {
    const stream = this.#matcher.stream();
    const sink = this.#findings.open(where);

    return {
      write: (chunk: Buffer) => {
        this.stats.bytes += chunk.length;
        sink.add(stream.write(chunk));
      },
      close: () => sink.close(),
    };
  }

  /** `text` with any secret in it shown as `***`, and the matches that were hidden. */
  hide(text: string): { text: string; matches: Match[] } {
    return hideNeedles(text, this.#matcher, this.#needles.patterns);
  }

  /** Records the matches of one complete piece of text at `where`. */
  record(where: Location, matches: readonly Match[]): void {
    if (matches.length > 0) this.#findings.record(where, matches);
  }

  /** Searches every member name and value of a parsed JSON document. */
  json(document: unknown, where: Location): void {
    for (const { field, text, isName } of jsonTexts(document, (name) => this.hide(name).text)) {
      const { matches } = this.hide(text);
      this.record({ ...where, field: isName ? `${field} (name)` : field }, matches);
    }
  }

  unscanned(layer: string, reason: string): void {
    this.#unscanned.push({ layer, reason });
  }

  report(image?: string): ScanReport {
    const { rename, rank } = this.layers.resolve();
    const findings = this.#findings.list(rename);

    // Layers in image order first, then the config, then the rest of the export.
    findings.sort(
      (a, b) =>
        SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) ||
        rank(a.layer) - rank(b.layer),
    );
    return {
      ...(image !== undefined && { image }),
      findings,
      skipped: this.#needles.skipped.map((index) => ({
        secret: this.#secrets[index].name,
        scope: describeScope(this.#secrets[index].scope),
        reason: 'too-short' as const,
      })),
      unscanned: this.#unscanned.map((part) => ({ ...part, layer: rename(part.layer) })),
      stats: { ...this.stats },
    };
  }
}
