// Reads the `docker buildx build` options ona-build passes through untouched, to find what it
// needs to know (context, Dockerfile, user-given --secret ids) without changing any of them.

import fs from 'node:fs';
import path from 'node:path';

import { UsageError } from '../errors.js';
import { physicalPath } from '../physical-path.js';
import { VALUE_FLAGS } from './buildx-flags.js';

export interface PassthroughInfo {
  /** The build context argument (a path, a URL or `-`). */
  readonly context: string;
  /** `-f`/`--file` when given. */
  readonly dockerfile?: string;
  /** The `--secret` flags the user passed themselves: ids, and where buildx reads the values. */
  readonly userSecrets: UserSecretSpec[];
}

/** Where a user `--secret` flag's value comes from: a file, a variable, or (neither) its id. */
export interface UserSecretSpec {
  readonly id: string;
  readonly src?: string;
  readonly env?: string;
  /** Where the spec is in the arguments: its index, and whether it is `--secret=SPEC`. */
  readonly at: { readonly index: number; readonly inline: boolean };
}

export function readPassthrough(args: readonly string[]): PassthroughInfo {
  const positionals: string[] = [];
  const userSecrets: UserSecretSpec[] = [];
  let dockerfile: string | undefined;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }

    const [flag, inline] = splitFlag(arg);
    if (!VALUE_FLAGS.has(flag)) continue;
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);

    if (flag === '-f' || flag === '--file') dockerfile = value;
    if (flag === '--secret') {
      userSecrets.push({
        ...parseSecretSpec(value),
        at: { index: i, inline: inline !== undefined },
      });
    }
  }

  if (positionals.length !== 1) {
    // Counted, not shown: a stray word may be a secret value typed where it does not belong.
    const found = positionals.length === 0 ? 'none' : `${positionals.length} arguments`;
    throw new UsageError(`build needs exactly one build context (PATH, URL or -); got ${found}`);
  }
  return { context: positionals[0], dockerfile, userSecrets };
}

/**
 * A local build context must exist, and so must a Dockerfile named with -f: buildx would only
 * fail later, with exit 1 like a failed build, and the pre-flight would have had nothing to read.
 * Remote contexts (URLs, git addresses) and stdin (`-`) are the builder's business.
 */
export function checkLocalContext(info: PassthroughInfo): void {
  if (!isLocalContext(info.context)) return;
  if (!fs.existsSync(info.context)) {
    throw new UsageError(`the build context ${info.context} does not exist`);
  }
  if (info.dockerfile !== undefined && info.dockerfile !== '-' && !isFile(info.dockerfile)) {
    throw new UsageError(`the Dockerfile ${info.dockerfile} (-f) does not exist or is no file`);
  }
  if (info.dockerfile === undefined && !isFile(`${info.context}${path.sep}Dockerfile`)) {
    throw new UsageError(
      `the build context ${info.context} has no Dockerfile: add one, or name it with -f`,
    );
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The Dockerfile of a local build: `-f` relative to the current directory, else `Dockerfile` in
 * the context, as buildx reads them. Undefined for a remote context or one read from stdin.
 */
export function localDockerfilePath(info: PassthroughInfo): string | undefined {
  if (!isLocalContext(info.context) || info.dockerfile === '-') return undefined;
  // Joined as text, not resolved: `link/..` must reach the kernel as it reaches buildx.
  return physicalPath(info.dockerfile ?? `${info.context}${path.sep}Dockerfile`);
}

/** What each `--build-context NAME=SOURCE` names: a path, `docker-image://REF`, a URL... */
export function buildContextSources(args: readonly string[]): string[] {
  const sources: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') break;
    const value = args[i] === '--build-context' ? args[++i] : inlineBuildContext(args[i]);
    const source = /^[^=]+=(.*)$/s.exec(value ?? '')?.[1];
    if (source !== undefined) sources.push(source);
  }
  return sources;
}

function inlineBuildContext(arg: string): string | undefined {
  return arg.startsWith('--build-context=') ? arg.slice('--build-context='.length) : undefined;
}

/** The build context or the Dockerfile comes from stdin (`-`). */
export function readsStdin(info: PassthroughInfo): boolean {
  return info.context === '-' || info.dockerfile === '-';
}

// The addresses buildx fetches rather than reads from disk: an HTTP(S) URL, a git address. Any
// other text, `x://tmp` included (a directory named `x:`), is a local path to it.
const REMOTE_CONTEXT = /^(https?:\/\/|git:\/\/|ssh:\/\/|git@|github\.com\/)/i;

/**
 * What buildx takes for a path rather than a URL, a git address or stdin. A directory that is
 * there wins, as buildx looks for one first: `https:/h` or `git@x` can be a local directory (or a
 * link to one) as well as an address.
 */
export function isLocalContext(context: string): boolean {
  if (context === '-') return false;
  return !REMOTE_CONTEXT.test(context) || isDirectory(context);
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

// A `--build-context` source that is not a directory: an image, an OCI layout, another target,
// or a remote context.
const NOT_A_DIRECTORY = /^(docker-image:\/\/|oci-layout:\/\/|target:|input:)/i;

/** Whether buildx reads a `--build-context NAME=SOURCE` source from a local directory. */
export function isLocalSource(source: string): boolean {
  return !NOT_A_DIRECTORY.test(source) && isLocalContext(source);
}

/**
 * `--file=x` → ['--file', 'x']; `-fx` and `-f=x` → ['-f', 'x'] (pflag drops the `=` after a
 * shorthand); `--load` → ['--load', undefined]. Shorthands bundle as pflag reads them: in `-qt`
 * and `-qtx`, `-q` takes no value and `-t` takes the next argument or the rest, `x`.
 */
export function splitFlag(arg: string): [string, string | undefined] {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
  }
  for (let at = 1; at < arg.length; at++) {
    const short = `-${arg[at]}`;
    if (!VALUE_FLAGS.has(short)) continue;
    const rest = arg.slice(arg[at + 1] === '=' ? at + 2 : at + 1);
    return [short, rest === '' ? undefined : rest];
  }
  return [arg, undefined];
}

/**
 * A user `--secret` spec; its CSV fields never carry values we print. Like buildx, keys are
 * case-insensitive, `source` means `src`, a value runs to the end of its field, and with
 * `type=env` and no `env=`, `src` names the variable.
 */
function parseSecretSpec(spec: string): Omit<UserSecretSpec, 'at'> {
  const fields: Record<string, string> = {};
  for (const field of csvFields(spec)) {
    const eq = field.indexOf('=');
    if (eq !== -1) fields[field.slice(0, eq).toLowerCase()] = field.slice(eq + 1);
  }
  const id = fields.id ?? '';
  const src = fields.src ?? fields.source;
  if (fields.type === 'env' && fields.env === undefined) return { id, env: src };
  return { id, src, env: fields.env };
}

/**
 * The fields of one CSV record, as buildx reads a `--secret` spec (Go's encoding/csv): a field
 * may be quoted whole (`"id=a,b"`), with `""` for a quote inside. Quotes elsewhere are kept.
 */
export function csvFields(record: string): string[] {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    let field = '';
    if (record[at] === '"') {
      at++;
      while (at < record.length) {
        if (record[at] === '"' && record[at + 1] === '"') {
          field += '"';
          at += 2;
        } else if (record[at] === '"') {
          at++;
          break;
        } else {
          field += record[at++];
        }
      }
    }
    const comma = record.indexOf(',', at);
    const end = comma === -1 ? record.length : comma;
    fields.push(field + record.slice(at, end));
    if (comma === -1) return fields;
    at = comma + 1;
  }
}

/**
 * The variable buildx reads a user `--secret` from: its `env=`, or, with neither `env=` nor
 * `src=`, the one named as its id when it is set (else buildx reads the file of that name).
 */
export function secretVariable(spec: UserSecretSpec, env: NodeJS.ProcessEnv): string | undefined {
  if (spec.env !== undefined) return spec.env;
  if (spec.src === undefined && env[spec.id] !== undefined) return spec.id;
  return undefined;
}

/**
 * The variables the user's own `--secret` flags read. The builder needs them in its environment,
 * where they carry a secret on purpose: the leak guard lets them through (exec.ts).
 */
export function secretVariables(
  specs: readonly UserSecretSpec[],
  env: NodeJS.ProcessEnv,
): string[] {
  const names = specs.map((spec) => secretVariable(spec, env));
  return [...new Set(names.filter((name) => name !== undefined))];
}
