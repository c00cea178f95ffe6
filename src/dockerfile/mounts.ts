// `RUN --mount=...` values as BuildKit reads them: comma-separated fields (CSV quoting), keys
// case-insensitive and order-sensitive (`required` is only accepted once `type=secret` has been
// seen), every value but `from` expanded with the stage's variables.
// Upstream: moby/buildkit frontend/dockerfile/instructions/commands_runmount.go (parseMount) and
// dockerfile2llb/convert_secrets.go (dispatchSecret), v0.33.

import { parseGoBool } from '../go-bool.js';
import { expandWord, isKnown, UNKNOWN, type Lookup } from './expand.js';

interface MountField {
  /** As written, quotes and variables included. */
  readonly raw: string;
  /** Expanded; UNKNOWN marks what is only known at build time. */
  readonly value: string;
  readonly problems: string[];
}

export interface ParsedMount {
  /** Lower-cased; UNKNOWN when it depends on a variable that cannot be resolved. */
  readonly type: string;
  readonly required: boolean;
  /** By canonical key: `source` (also `src`), `target` (also `dst`, `destination`), `id`, ... */
  readonly fields: ReadonlyMap<string, MountField>;
  /** What BuildKit rejects in this mount; each one fails the build. */
  readonly errors: string[];
}

const KEY_ALIASES: Readonly<Record<string, string>> = {
  src: 'source',
  dst: 'target',
  destination: 'target',
  ro: 'readonly',
  rw: 'readwrite',
};
const MOUNT_TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
const FLAG_KEYS = new Set(['readonly', 'ro', 'readwrite', 'rw']);

/** Parses one `--mount` value. Returns an error string when BuildKit cannot even split it. */
export function parseMount(spec: string, lookup: Lookup, escape: string): ParsedMount | string {
  const fields = splitCsv(spec);
  if (typeof fields === 'string') return `failed to parse csv mounts: ${fields}`;

  const state = { type: 'bind', required: false, errors: [] as string[] };
  const values = new Map<string, MountField>();
  for (const field of fields) {
    const equals = field.indexOf('=');
    const key = (equals === -1 ? field : field.slice(0, equals)).toLowerCase();
    if (equals === -1) readBareKey(key, field, state);
    else readField(key, readValue(key, field.slice(equals + 1), lookup, escape), state, values);
  }
  return { ...state, fields: values };
}

function readValue(key: string, raw: string, lookup: Lookup, escape: string): MountField {
  if (key === 'from') return { raw, value: raw, problems: [] };

  const { text, problems } = expandWord(raw, lookup, escape);
  return { raw, value: text, problems };
}

type MountState = { type: string; required: boolean; errors: string[] };

function readBareKey(key: string, field: string, state: MountState): void {
  if (FLAG_KEYS.has(key)) return;
  if (key === 'required') {
    requireSecretType(key, state);
    state.required = true;
    return;
  }
  state.errors.push(`invalid field '${field}' must be a key=value pair`);
}

function readField(
  key: string,
  field: MountField,
  state: MountState,
  values: Map<string, MountField>,
): void {
  if (key === 'type') readType(field, state);
  if (key === 'required') {
    requireSecretType(key, state);
    state.required = parseRequired(field, state);
  }
  if (key === 'from' && /\$./.test(field.raw)) {
    state.errors.push("'from' doesn't support variable expansion, define alias stage instead");
  }
  values.set(KEY_ALIASES[key] ?? key, field);
}

function readType(field: MountField, state: MountState): void {
  state.type = isKnown(field.value) ? field.value.toLowerCase() : UNKNOWN;
  if (state.type !== UNKNOWN && !MOUNT_TYPES.has(state.type)) {
    state.errors.push(`unsupported mount type ${JSON.stringify(field.value)}`);
  }
}

// `required` is read in field order, so `required,type=secret` fails in BuildKit.
function requireSecretType(key: string, state: MountState): void {
  if (state.type === 'secret' || state.type === 'ssh' || state.type === UNKNOWN) return;
  state.errors.push(
    `unexpected key '${key}' for mount type '${state.type}' (write type=secret before it)`,
  );
}

// strconv.ParseBool. Any other word fails the build; it and a value only known at build time are
// read as the author's intent: required.
function parseRequired(field: MountField, state: MountState): boolean {
  if (!isKnown(field.value)) return true;
  const required = parseGoBool(field.value);
  if (required === undefined) state.errors.push(`invalid value for required: ${field.value}`);
  return required ?? true;
}

export interface SecretMount {
  /** Undefined when the id depends on something only known at build time. */
  readonly id?: string;
  readonly explicitId: boolean;
  readonly target?: string;
  readonly env?: string;
  readonly problems: string[];
  readonly errors: string[];
}

/** The id, target and env of a `type=secret` mount, derived as BuildKit's dispatchSecret does. */
export function toSecretMount(mount: ParsedMount): SecretMount {
  const field = (key: string) => mount.fields.get(key);
  const source = field('source');
  const named = nonEmpty(source) ?? nonEmpty(field('id'));
  const target = nonEmpty(field('target'));
  const env = field('env');
  const errors = [...mount.errors, ...secretErrors(mount)];

  const id = named ? named.value : target ? goBase(target.value) : undefined;
  const known = id !== undefined && isKnown(id);
  const mountedAt = target
    ? shown(target)
    : known && !env
      ? `/run/secrets/${goBase(id)}`
      : undefined;

  return {
    ...(known && { id }),
    explicitId: named !== undefined,
    ...(mountedAt !== undefined && { target: mountedAt }),
    ...(env && { env: shown(env) }),
    problems: [...((named ?? target)?.problems ?? [])],
    errors,
  };
}

function secretErrors(mount: ParsedMount): string[] {
  const has = (key: string) => nonEmpty(mount.fields.get(key)) !== undefined;
  const errors: string[] = [];
  if (has('from')) errors.push('secret mount should not have a from');
  if (!has('source') && !has('id') && !has('target')) {
    errors.push('invalid secret mount. one of source, target required');
  }
  if (has('source') && has('id')) errors.push("both source and id can't be set");
  return errors;
}

function nonEmpty(field: MountField | undefined): MountField | undefined {
  return field && field.value !== '' ? field : undefined;
}

function shown(field: MountField): string {
  return isKnown(field.value) ? field.value : field.raw;
}

/** Go's path.Base: the last element, trailing slashes ignored; `.` for empty, `/` for root. */
export function goBase(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Go's encoding/csv for one record: `"` quotes a whole field, `""` is a quote inside it. */
export function splitCsv(text: string): string[] | string {
  if (text === '') return 'EOF';

  const fields: string[] = [];
  let position = 0;
  while (position <= text.length) {
    const read = text.startsWith('"', position)
      ? readQuoted(text, position)
      : readPlain(text, position);
    if (typeof read === 'string') return read;
    fields.push(read.field);
    position = read.next;
  }
  return fields;
}

type FieldRead = { field: string; next: number } | string;

function readPlain(text: string, start: number): FieldRead {
  const comma = text.indexOf(',', start);
  const end = comma === -1 ? text.length : comma;
  const field = text.slice(start, end);
  if (field.includes('"')) return 'bare " in non-quoted-field';
  return { field, next: end + 1 };
}

function readQuoted(text: string, start: number): FieldRead {
  let field = '';
  for (let position = start + 1; position < text.length; position++) {
    const char = text.charAt(position);
    if (char !== '"') {
      field += char;
      continue;
    }
    if (text.charAt(position + 1) === '"') {
      field += '"';
      position++;
      continue;
    }
    const after = position + 1;
    if (after < text.length && text.charAt(after) !== ',') {
      return 'extraneous or missing " in quoted-field';
    }
    return { field, next: after + 1 };
  }
  return 'extraneous or missing " in quoted-field';
}
