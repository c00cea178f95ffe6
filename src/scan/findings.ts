// Turns raw matches into findings: which secret, in which form, where. A file holding a secret
// also holds the pieces of it that are needles of their own (the value inside its `user:password`
// auth, a line inside a multi-line key), so a match inside a longer match of the same secret is
// the same leak and is dropped.

import { describeScope } from '../secrets/validate.js';
import type { Match } from './matcher.js';
import type { NeedleSet } from './needles.js';
import type { Finding, FindingSource, ScanSecret } from './types.js';

export interface Location {
  readonly source: FindingSource;
  readonly layer: string;
  readonly path?: string;
  readonly field?: string;
}

interface Span {
  readonly secret: number;
  readonly form: Finding['form'];
  readonly start: number;
  readonly end: number;
}

// A file made of nothing but copies of a secret must not hold one object per copy in memory.
const MAX_PENDING_MATCHES = 4096;

export class Findings {
  readonly #needles: NeedleSet;
  readonly #secrets: readonly ScanSecret[];
  readonly #byKey = new Map<string, Finding>();

  constructor(needles: NeedleSet, secrets: readonly ScanSecret[]) {
    this.#needles = needles;
    this.#secrets = secrets;
  }

  /** Collects the matches of one stream at `where`, as it is read. */
  open(where: Location): FindingSink {
    return new FindingSink((matches) => this.record(where, matches));
  }

  /** Records the matches of one complete stream (a file, a field) at `where`. */
  record(where: Location, matches: readonly Match[]): void {
    for (const span of outermost(this.#spans(matches))) {
      const secret = this.#secrets[span.secret];
      const finding: Finding = {
        secret: secret.name,
        scope: describeScope(secret.scope),
        form: span.form,
        ...where,
      };
      const key = JSON.stringify([span.secret, finding.form, where]);
      if (!this.#byKey.has(key)) this.#byKey.set(key, finding);
    }
  }

  /** Every finding, in the order found, with layers renamed by `rename`. */
  list(rename: (layer: string) => string = (layer) => layer): Finding[] {
    return [...this.#byKey.values()].map((finding) => ({
      ...finding,
      layer: rename(finding.layer),
    }));
  }

  #spans(matches: readonly Match[]): Span[] {
    return matches.flatMap(({ needle, offset }) =>
      this.#needles.labels[needle].map(({ secret, form }) => ({
        secret,
        form,
        start: offset,
        end: offset + this.#needles.patterns[needle].length,
      })),
    );
  }
}

/** Buffers matches of one stream until its end, flushing early only when they pile up. */
export class FindingSink {
  readonly #flush: (matches: readonly Match[]) => void;
  #pending: Match[] = [];

  constructor(flush: (matches: readonly Match[]) => void) {
    this.#flush = flush;
  }

  add(matches: readonly Match[]): void {
    for (const match of matches) this.#pending.push(match);
    if (this.#pending.length >= MAX_PENDING_MATCHES) this.close();
  }

  close(): void {
    if (this.#pending.length > 0) this.#flush(this.#pending);
    this.#pending = [];
  }
}

/** Spans not inside a longer span of the same secret: sorted by start, longest first. */
function outermost(spans: Span[]): Span[] {
  const reach = new Map<number, number>();

  return spans
    .sort((a, b) => a.start - b.start || b.end - a.end)
    .filter((span) => {
      const covered = (reach.get(span.secret) ?? -1) >= span.end;
      if (!covered) reach.set(span.secret, span.end);
      return !covered;
    });
}
