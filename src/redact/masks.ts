// Turns secret values into the byte strings the redactor hides: the value itself, each line of a
// multi-line value, parts of JSON documents, credentials quoted out of a file's fields, the
// encoded forms a build step is likely to print, and the pieces dump tools show of it.

import { trimAsciiSpace } from './ascii.js';
import { credentialFields } from './credential-fields.js';
import { dumpForms } from './dump-forms.js';
import {
  base64Alignments,
  base64Standalone,
  base64WrappedLines,
  encodingBases,
  hexEncodings,
  jsonEscapes,
  urlEncodings,
  utf16Forms,
} from './encodings.js';
import { jsonForms } from './json-forms.js';
import { PIECE_MIN } from './mask-index.js';
import { maskableLines } from './lines.js';

/**
 * Values shorter than this many bytes are not used as masks. Masking `eu` or `1` would blank
 * large parts of every log, and the pattern of stars would itself reveal the value. The caller
 * warns about each skipped value instead.
 */
export const MIN_MASK_LENGTH = 6;

export interface MaskSource {
  /** Names the secret in `skipped`; never part of a mask. */
  readonly id: string;
  readonly value: Buffer;
  /** Set for registry secrets: docker stores `base64(user:password)` as `auth`. */
  readonly registryUser?: string;
}

export interface SkippedMask {
  readonly id: string;
  readonly reason: 'too-short';
}

export interface MaskSet {
  /** Deduplicated, longest first. */
  readonly masks: Buffer[];
  /**
   * The last half of each value. Any copy of a value's end that holds half of it (as `tail -c`
   * or a line wrapped on a terminal leaves) contains its last half: that part is masked.
   */
  readonly tails: Buffer[];
  readonly skipped: SkippedMask[];
}

export interface MaskOptions {
  /** Shortest mask kept, in bytes; `MIN_MASK_LENGTH` by default. */
  readonly minLength?: number;
}

/**
 * Builds the masks for `secrets`. A value whose trimmed content is shorter than the minimum is
 * reported in `skipped`; its raw bytes still become masks when they reach the minimum (as with
 * `abcd\r\n`), but printed alone the content would show. An empty value (or only white space)
 * shows nothing and is not reported.
 */
export function buildMasks(secrets: readonly MaskSource[], options: MaskOptions = {}): MaskSet {
  const minLength = resolveMinLength(options.minLength);
  const masks = new MaskCollector(minLength);
  const skipped: SkippedMask[] = [];
  const tails = new TailCollector();

  for (const secret of secrets) {
    const content = trimAsciiSpace(secret.value).length;
    if (content > 0 && content < minLength) {
      skipped.push({ id: secret.id, reason: 'too-short' });
    }
    if (secret.value.length < minLength) continue;
    collectSecret(masks, secret);
    // Trimmed, so that copies of the value's end with and without its final line break (one
    // printed through `$(...)`) both hold it.
    tails.add(trimAsciiSpace(secret.value), minLength);
  }
  return { masks: masks.sorted(), tails: tails.list(), skipped };
}

/** Union of two mask sets, still deduplicated and longest first. */
export function mergeMaskSets(a: MaskSet, b: MaskSet): MaskSet {
  const skipped = [...a.skipped, ...b.skipped];
  const tails = new TailCollector();
  for (const tail of [...a.tails, ...b.tails]) tails.addTail(tail);
  // The common case, a run's first registration: nothing to merge.
  if (a.masks.length === 0) return { masks: b.masks, tails: tails.list(), skipped };
  if (b.masks.length === 0) return { masks: a.masks, tails: tails.list(), skipped };

  const masks = new MaskCollector(1);

  for (const mask of [...a.masks, ...b.masks]) masks.add(mask);
  return { masks: masks.sorted(), tails: tails.list(), skipped };
}

/** The last half of each value, once each. */
class TailCollector {
  readonly #tails = new Map<string, Buffer>();

  /**
   * The last half, and at least PIECE_MIN bytes, so that it cannot turn up by chance; a value
   * that short has none (its whole is masked).
   */
  add(value: Buffer, minLength: number): void {
    const length = Math.max(Math.ceil(value.length / 2), PIECE_MIN, minLength);
    if (length >= value.length) return;

    const tail = value.subarray(value.length - length).toString('latin1');
    const bare = withoutEndBreaks(tail);
    const key = bare.length >= Math.max(PIECE_MIN, minLength) ? bare : tail;
    this.#tails.set(key, Buffer.from(key, 'latin1'));
  }

  /** A tail already cut (merging sets). */
  addTail(tail: Buffer): void {
    this.#tails.set(tail.toString('latin1'), tail);
  }

  list(): Buffer[] {
    return [...this.#tails.values()];
  }
}

function resolveMinLength(minLength = MIN_MASK_LENGTH): number {
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new RangeError(`minLength must be a positive integer, got ${minLength}`);
  }
  return minLength;
}

function collectSecret(masks: MaskCollector, secret: MaskSource): void {
  const { value, registryUser } = secret;
  const bases = encodingBases(value);

  masks.add(value);
  masks.add(trimAsciiSpace(value));
  if (value.includes(0x0a)) masks.addAll(maskableLines(value, masks.minLength));
  masks.addAll(jsonForms(value, masks.minLength));
  masks.addAll(credentialFields(value, masks.minLength));
  masks.addAll(dumpForms(value));

  for (const base of bases) addEncodedForms(masks, base);
  if (registryUser !== undefined) {
    const auth = Buffer.from(`${registryUser}:`);
    for (const base of bases) addBase64Forms(masks, Buffer.concat([auth, base]));
  }
}

// These run for every secret of every build, mostly before V8 has optimised them: each encoder's
// forms go straight to the collector, with no arrays joined in between.
function addEncodedForms(masks: MaskCollector, value: Buffer): void {
  addBase64Forms(masks, value);
  masks.addAll(urlEncodings(value));
  masks.addAll(jsonEscapes(value));
  masks.addAll(hexEncodings(value));
  masks.addAll(utf16Forms(value));
}

function addBase64Forms(masks: MaskCollector, value: Buffer): void {
  masks.addAll(base64Alignments(value, 'base64'));
  masks.addAll(base64Alignments(value, 'base64url'));
  masks.addAll(base64Standalone(value));
  masks.addAll(base64WrappedLines(value));
}

/**
 * Collects masks once each; short ones are dropped here so every builder can stay simple, and so
 * are ones made only of line breaks, which the output keeps as they are (render.ts): such a mask
 * would hide nothing. Masks are kept as their bytes read as latin1, and become Buffers only once,
 * when sorted.
 */
class MaskCollector {
  readonly minLength: number;
  readonly #keys = new Set<string>();

  constructor(minLength: number) {
    this.minLength = minLength;
  }

  add(mask: Buffer | string): void {
    // Most forms are ASCII strings, which are their own key.
    const key = typeof mask === 'string' && isAscii(mask) ? mask : latin1Key(mask);
    if (key.length < this.minLength || LINE_BREAKS_ONLY.test(key)) return;

    // Content too short to mask alone keeps its line breaks, as masking it bare would find it
    // by chance.
    const bare = withoutEndBreaks(key);
    this.#keys.add(bare.length >= this.minLength ? bare : key);
  }

  addAll(masks: Iterable<Buffer | string>): void {
    for (const mask of masks) this.add(mask);
  }

  /**
   * Longest first; equal lengths in the order they were added, which is all the mask index needs
   * (of two masks as long, only one can match at a start). Grouped by length rather than sorted
   * with a comparator: at thousands of secrets, comparing strings took most of the time.
   */
  sorted(): Buffer[] {
    const byLength: string[][] = [];
    for (const key of this.#keys) (byLength[key.length] ??= []).push(key);

    const masks: Buffer[] = [];
    for (let length = byLength.length - 1; length >= this.minLength; length--) {
      for (const key of byLength[length] ?? []) masks.push(Buffer.from(key, 'latin1'));
    }
    return masks;
  }
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const LINE_BREAKS_ONLY = /^[\r\n]*$/;
const END_BREAKS = /^[\r\n]+|[\r\n]+$/g;

/**
 * Line breaks at a mask's ends hide nothing, as masked output keeps them anyway; and a mask that
 * starts with one makes a stream hold back every line's end until more output comes.
 */
function withoutEndBreaks(key: string): string {
  return key.replace(END_BREAKS, '');
}

function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

function latin1Key(mask: Buffer | string): string {
  return (typeof mask === 'string' ? Buffer.from(mask, 'utf8') : mask).toString('latin1');
}
