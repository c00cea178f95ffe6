// The byte strings the leak scanner looks for: each secret's value and the encoded forms a build
// step is likely to write it in. The encoders are the redactor's (src/redact/encodings.ts), so a
// form the redactor hides in logs is also a form the scanner finds in an image.

import { trimAsciiSpace } from '../redact/ascii.js';
import {
  base64Alignments,
  base64Standalone,
  base64WrappedLines,
  encodingBases,
  hexEncodings,
  jsonEscapes,
  urlEncodings,
  utf16Forms,
} from '../redact/encodings.js';
import { credentialFields } from '../redact/credential-fields.js';
import { jsonForms } from '../redact/json-forms.js';
import { maskableLines } from '../redact/lines.js';
import { MIN_MASK_LENGTH } from '../redact/masks.js';
import type { ScanSecret } from './types.js';

// Line widths of the wrapping tools encodings.ts knows: GNU `base64`, `openssl base64`, `xxd -p`.
const BASE64_WRAP_WIDTHS = [64, 76];
const XXD_LINE = 60;

/**
 * How a secret was written: `field` is a credential quoted out of a file secret (an `.npmrc`
 * token), `base64-auth` is docker's `base64(user:password)` of a registry, `utf16` the value as
 * Windows and .NET tools write text (either byte order), which output masking hides too.
 */
export const LEAK_FORMS = [
  'exact',
  'line',
  'field',
  'json',
  'url',
  'hex',
  'base64',
  'base64-auth',
  'utf16',
] as const;
export type LeakForm = (typeof LEAK_FORMS)[number];

export interface SecretForm {
  readonly form: LeakForm;
  readonly bytes: Buffer;
}

export interface NeedleLabel {
  /** Index into the secrets the needles were built from. */
  readonly secret: number;
  readonly form: LeakForm;
}

export interface NeedleSet {
  /** Distinct byte strings, each at least `MIN_MASK_LENGTH` long. */
  readonly patterns: Buffer[];
  /** Per pattern, every secret and form it stands for (two secrets may share a value). */
  readonly labels: NeedleLabel[][];
  /** Secrets too short to look for: a 4-byte value would match all over an image. */
  readonly skipped: number[];
}

/** Needles for every secret long enough to scan for. */
export function buildNeedles(secrets: readonly ScanSecret[]): NeedleSet {
  const byContent = new Map<string, number>();
  const set: NeedleSet = { patterns: [], labels: [], skipped: [] };

  secrets.forEach((secret, index) => {
    if (trimAsciiSpace(secret.value).length < MIN_MASK_LENGTH) {
      set.skipped.push(index);
      return;
    }
    for (const { form, bytes } of secretForms(secret.value, secret.registryUser)) {
      addNeedle(set, byContent, bytes, { secret: index, form });
    }
  });
  return set;
}

function addNeedle(
  set: NeedleSet,
  byContent: Map<string, number>,
  bytes: Buffer,
  label: NeedleLabel,
): void {
  const key = bytes.toString('latin1');
  const known = byContent.get(key);
  if (known === undefined) {
    byContent.set(key, set.patterns.length);
    set.patterns.push(bytes);
    set.labels.push([label]);
    return;
  }

  // Two secrets with one value both leak where it is found; a secret listed twice adds nothing.
  if (!set.labels[known].some((other) => other.secret === label.secret)) {
    set.labels[known].push(label);
  }
}

/**
 * Every form of one value, most direct first, deduplicated and at least `MIN_MASK_LENGTH` long.
 * Encoded forms are built from the value as stored, its trimmed content (what `$(cat file)`
 * keeps), and both followed by a newline (what `echo "$v" | base64` encodes).
 */
export function secretForms(value: Buffer, registryUser?: string): SecretForm[] {
  const trimmed = trimAsciiSpace(value);
  const bases = encodingBases(value);
  const forms: SecretForm[] = [];
  const add = (form: LeakForm, items: Iterable<Buffer | string>) => {
    for (const item of items) forms.push({ form, bytes: Buffer.from(item) });
  };

  add('exact', [value, trimmed]);
  if (value.includes(0x0a)) add('line', maskableLines(value, MIN_MASK_LENGTH));
  add('field', credentialFields(value, MIN_MASK_LENGTH));
  add('json', jsonForms(value, MIN_MASK_LENGTH));
  for (const base of bases) add('json', jsonEscapes(base));
  for (const base of bases) add('url', urlEncodings(base));
  for (const base of bases) add('hex', wholeLines(hexEncodings(base), XXD_LINE));
  for (const base of bases) add('base64', base64Forms(base));
  add('utf16', utf16Forms(trimmed));
  if (registryUser !== undefined) {
    const user = Buffer.from(`${registryUser}:`);
    for (const base of bases) add('base64-auth', base64Forms(Buffer.concat([user, base])));
  }
  return uniqueForms(forms);
}

function base64Forms(value: Buffer): string[] {
  return [
    ...base64Standalone(value),
    ...base64Alignments(value, 'base64'),
    ...base64Alignments(value, 'base64url'),
    ...wholeLines(base64WrappedLines(value), ...BASE64_WRAP_WIDTHS),
  ];
}

/**
 * Drops the last, shorter line of wrapped output (`base64`, `xxd -p`): a few characters occur by
 * chance all over an image, and a wrapped copy always has a whole line to find it by. The redactor
 * keeps those tails: hiding a few extra characters in a log is harmless, reporting them is not.
 */
function wholeLines(forms: string[], ...widths: number[]): string[] {
  const longest = Math.max(...forms.map((form) => form.length));

  return forms.filter((form) => form.length === longest || widths.includes(form.length));
}

function uniqueForms(forms: SecretForm[]): SecretForm[] {
  const seen = new Set<string>();

  return forms.filter(({ bytes }) => {
    const key = bytes.toString('latin1');
    if (bytes.length < MIN_MASK_LENGTH || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
