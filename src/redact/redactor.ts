// The redaction list of one run. Values are registered before they are validated, so even an
// error about a malformed value cannot print it; every sink (logger, buildx output) then passes
// its text through the same Redactor.

import { MaskIndex, PIECE_MIN, withCutByEnd } from './mask-index.js';
import {
  buildMasks,
  mergeMaskSets,
  type MaskOptions,
  type MaskSet,
  type MaskSource,
  type SkippedMask,
} from './masks.js';
import { renderMasked } from './render.js';

export type RedactorOptions = MaskOptions;

let readIndex: (redactor: Redactor) => MaskIndex;

/** The current index of `redactor`, for streaming redaction; not part of the public API. */
export function maskIndexOf(redactor: Redactor): MaskIndex {
  return readIndex(redactor);
}

export class Redactor {
  // Private fields (#) rather than `private`: util.inspect and JSON.stringify do not show them,
  // so logging a Redactor by mistake cannot print the masks.
  #set: MaskSet;
  #index: MaskIndex;
  readonly #options: RedactorOptions;

  constructor(masks: MaskSet = buildMasks([]), options: RedactorOptions = {}) {
    this.#set = masks;
    this.#index = new MaskIndex(masks.masks, masks.tails);
    this.#options = options;
  }

  /** Registers more values. Returns the ones too short to mask, for the caller to warn about. */
  add(sources: readonly MaskSource[]): readonly SkippedMask[] {
    const added = buildMasks(sources, this.#options);

    this.#set = mergeMaskSets(this.#set, added);
    this.#index = new MaskIndex(this.#set.masks, this.#set.tails);
    return added.skipped;
  }

  /** Every value skipped so far, by id. */
  get skipped(): readonly SkippedMask[] {
    return this.#set.skipped;
  }

  get maskCount(): number {
    return this.#set.masks.length;
  }

  /**
   * The longest run of bytes without a line break in any mask: how wide a line printing a
   * secret can be. A display that wraps lines (tty progress) cuts longer ones into pieces.
   */
  get longestSecretLine(): number {
    let longest = 0;
    for (const mask of this.#set.masks) {
      // Longest first: no later mask can hold a longer line.
      if (mask.length <= longest) break;
      let start = 0;
      for (let at = 0; at <= mask.length; at++) {
        if (at < mask.length && mask[at] !== 0x0a && mask[at] !== 0x0d) continue;
        longest = Math.max(longest, at - start);
        start = at + 1;
      }
    }
    return longest;
  }

  /** Masks a complete piece of text (a log line, an error message). */
  redact(text: string): string {
    if (this.#index.isEmpty || text.length === 0) return text;

    const data = Buffer.from(text, 'utf8');
    const { ranges: found, partials } = this.#index.scan(data);
    const ranges = withCutByEnd(found, partials, data.length);
    if (ranges.length === 0) return text;
    return renderMasked(data, ranges, data.length).output.toString('utf8');
  }

  /**
   * Whether `text` (an argument, a variable's value) holds a secret value or a form of one, by
   * the rules `redact` applies anywhere in output. Its end is not taken for output cut short
   * there, which masks a shorter beginning: an argument that merely ends like the first 8 bytes
   * of a value is no copy of it. A beginning holding half the value, 12 bytes or more, is.
   */
  holdsSecret(text: string): boolean {
    if (this.#index.isEmpty || text.length === 0) return false;

    const data = Buffer.from(text, 'utf8');
    const { ranges, partials } = this.#index.scan(data);
    return withCutByEnd(ranges, partials, data.length, PIECE_MIN).length > 0;
  }

  /** Masks a complete piece of output. Returns `data` itself when nothing matched. */
  redactBuffer(data: Buffer): Buffer {
    const { ranges: found, partials } = this.#index.scan(data);
    const ranges = withCutByEnd(found, partials, data.length);
    if (ranges.length === 0) return data;
    return renderMasked(data, ranges, data.length).output;
  }

  // Streams need the index itself, but a public getter would hand masks to any caller.
  static {
    readIndex = (redactor) => redactor.#index;
  }
}
