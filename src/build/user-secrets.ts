// The values of the `--secret` flags a user passes to `build` themselves. ona-build does not
// provide them, but they are secrets all the same: they are masked in the build's output like
// stored ones, whether buildx reads them from a file or from a variable.
//
// A source that can be read only once (a FIFO, `src=/dev/stdin`, a shell's `src=<(vault read)`)
// is read here instead, masked, and given to buildx as a file in the run directory: reading it
// to mask it would leave buildx nothing, and the builder's stdin is not the user's.

import fs from 'node:fs';
import path from 'node:path';

import { SecretError, UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import { writeFileExclusive } from '../materialize/run-dir.js';
import type { MaskSource, Redactor } from '../redact/index.js';
import { MAX_SECRET_BYTES } from '../secrets/model.js';
import { csvFields, secretVariable, type UserSecretSpec } from './passthrough.js';
import { describeErrno } from '../errno.js';

/** A user `--secret` whose source was a stream, read here; see streamedArgs. */
export interface StreamedSecret {
  readonly spec: UserSecretSpec;
  readonly value: Buffer;
}

export interface MaskUserSecretsOptions {
  /** Read once-only sources (not for a dry run, which must not consume them). */
  readonly readStreams: boolean;
  /** The builder reads its context or Dockerfile from stdin, which a secret cannot also have. */
  readonly stdinTaken: boolean;
}

/**
 * Registers the values of the user's own `--secret` flags with the redactor. Returns those read
 * from streams, which the build must write to files (streamedArgs).
 */
export function maskUserSecrets(
  specs: readonly UserSecretSpec[],
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  logger: Logger,
  options: MaskUserSecretsOptions = { readStreams: false, stdinTaken: false },
): StreamedSecret[] {
  const sources: MaskSource[] = [];
  const streamed: StreamedSecret[] = [];
  for (const spec of specs) {
    const variable = secretVariable(spec, env);
    const value = variable === undefined ? fileValue(spec, options, streamed) : env[variable];
    if (value === undefined) {
      logger.debug(`the value of --secret id=${spec.id} cannot be read here: not masked`);
      continue;
    }
    sources.push({ id: spec.id, value: Buffer.from(value) });

    // A bare id names both a variable and a file, and buildx versions disagree on which wins
    // (0.13 reads the variable when it is set): the file's value is masked too.
    const alsoFile = variable !== undefined && isBareId(spec) ? regularFileValue(spec) : undefined;
    if (alsoFile !== undefined) sources.push({ id: spec.id, value: alsoFile });
  }

  for (const { id } of redactor.add(sources)) {
    logger.warn(`--secret id=${id} is too short to be masked in output; use a longer value`);
  }
  return streamed;
}

/**
 * buildx reads `src`, or with neither `src` nor a variable of that name, the file named `id`.
 * A stream is read now (and noted in `streamed`); a directory or a missing file is buildx's to
 * report.
 */
function fileValue(
  spec: UserSecretSpec,
  options: MaskUserSecretsOptions,
  streamed: StreamedSecret[],
): Buffer | undefined {
  const file = spec.src ?? spec.id;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }

  if (stat.isFile()) return readFile(file, spec.id, stat.size);
  if (stat.isDirectory() || !options.readStreams) return undefined;
  if (options.stdinTaken && isStdin(stat)) {
    throw new UsageError(
      `--secret id=${spec.id} reads stdin, which the build context or Dockerfile (-) reads too`,
    );
  }
  // stdin is read through its descriptor: a socket (as a parent process may give) cannot be
  // opened by path.
  const value = isStdin(stat) ? readStream(0, spec.id) : readStreamAt(file, spec.id);
  streamed.push({ spec, value });
  return value;
}

function readStreamAt(file: string, id: string): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new SecretError(
      `--secret id=${id}: cannot read ${file}: ${describeErrno(error)}`,
      'USER_SECRET',
    );
  }
  try {
    return readStream(fd, id);
  } finally {
    fs.closeSync(fd);
  }
}

/** The file a bare `--secret id=NAME` may read, when it is a regular file; else undefined. */
function regularFileValue(spec: UserSecretSpec): Buffer | undefined {
  try {
    const stat = fs.statSync(spec.id);
    return stat.isFile() ? readFile(spec.id, spec.id, stat.size) : undefined;
  } catch {
    return undefined;
  }
}

function isBareId(spec: UserSecretSpec): boolean {
  return spec.src === undefined && spec.env === undefined;
}

/**
 * A regular file's content. One larger than BuildKit takes is refused now, naming the secret and
 * the limit, rather than by the builder once the build has started.
 */
function readFile(file: string, id: string, size: number): Buffer | undefined {
  if (size > MAX_SECRET_BYTES) {
    throw new SecretError(
      `--secret id=${id}: ${file} is ${size} bytes; BuildKit accepts at most ${MAX_SECRET_BYTES}`,
      'SECRET_TOO_LARGE',
    );
  }
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Reads a FIFO, a terminal or a pipe to its end, refusing more than BuildKit would take. */
function readStream(fd: number, id: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(64 * 1024);
    const read = readRetrying(fd, chunk);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > MAX_SECRET_BYTES) {
      throw new SecretError(
        `--secret id=${id}: its source holds more than ${MAX_SECRET_BYTES} bytes, ` +
          "BuildKit's limit for a secret",
        'SECRET_TOO_LARGE',
      );
    }
  }
  return Buffer.concat(chunks);
}

/** A non-blocking descriptor (a pipe shared with a shell) says EAGAIN until data comes. */
function readRetrying(fd: number, buffer: Buffer): number {
  for (;;) {
    try {
      return fs.readSync(fd, buffer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function isStdin(stat: fs.Stats): boolean {
  try {
    const stdin = fs.fstatSync(0);
    return stdin.dev === stat.dev && stdin.ino === stat.ino;
  } catch {
    return false;
  }
}

/**
 * `args` with each streamed secret's flag pointing at a file in `runDir` holding the value read,
 * which is written there (0600, exclusively); other arguments unchanged.
 */
export function streamedArgs(
  args: readonly string[],
  streamed: readonly StreamedSecret[],
  runDir: string,
): string[] {
  if (streamed.length === 0) return [...args];

  const dir = path.join(runDir, 'user-secrets');
  fs.mkdirSync(dir, { mode: 0o700 });
  const rewritten = [...args];
  streamed.forEach(({ spec, value }, n) => {
    const file = path.join(dir, String(n));
    if (/[,"\n\r]/.test(file)) throw new SecretError(`internal: ${file} is not CSV-safe`);
    writeFileExclusive(file, value);
    const { index, inline } = spec.at;
    const text = withSource(inline ? args[index].slice('--secret='.length) : args[index], file);
    rewritten[index] = inline ? `--secret=${text}` : text;
  });
  return rewritten;
}

/** The spec with its source (`src=`, `source=`, or none: the id) replaced by `file`. */
function withSource(spec: string, file: string): string {
  const fields = csvFields(spec).filter((field) => !/^(src|source)=/i.test(field));
  return [...fields.map(csvQuoted), `src=${file}`].join(',');
}

/** A field as CSV needs it: quoted, quotes doubled, when it holds a comma or a quote. */
function csvQuoted(field: string): string {
  return /[,"]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
