// Secret values come from stdin or a file, never from argv (where `ps` and shell history would
// see them). Bytes are kept exactly: no trimming, no added or removed newline.

import fs from 'node:fs';

import { OnaBuildError, SecretError, UsageError } from '../errors.js';
import { MAX_SECRET_BYTES } from '../secrets/model.js';
import { describeErrno, errorCode } from '../errno.js';

const NAMES_NO_FILE = new Set(['ENOENT', 'ENAMETOOLONG', 'ENOTDIR']);

/** `label` names the secret and its scope in errors: `secret NPM_TOKEN (organization acme)`. */
export async function readSecretValue(
  label: string,
  fromFile: string | undefined,
  stdin: NodeJS.ReadStream,
  prompt: NodeJS.WritableStream,
): Promise<Buffer> {
  // `-` is stdin, as for most tools that read a file.
  if (fromFile !== undefined && fromFile !== '-') return readValueFile(label, fromFile);
  if (stdin.isTTY) return readHiddenLine(stdin, prompt);
  return readAll(label, stdin, 'the value on stdin');
}

async function readValueFile(label: string, file: string): Promise<Buffer> {
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new UsageError(`--from-file ${file} is a directory`);
    // A FIFO or a device (a shell's `<(vault read ...)`, /dev/stdin): read once, to its end.
    if (!stat.isFile()) {
      return await readAll(label, fs.createReadStream(file), `--from-file ${file}`);
    }
    if (stat.size > MAX_SECRET_BYTES) {
      throw new SecretError(
        `${label}: --from-file ${file} is ${stat.size} bytes; ` +
          `BuildKit accepts at most ${MAX_SECRET_BYTES}`,
        'SECRET_TOO_LARGE',
      );
    }
    return fs.readFileSync(file);
  } catch (error) {
    if (error instanceof UsageError || error instanceof SecretError) throw error;
    // A path that names nothing may be the value itself, typed where its file belongs.
    const named = NAMES_NO_FILE.has(errorCode(error) ?? '') ? '(not repeated here)' : file;
    throw new UsageError(`cannot read --from-file ${named}: ${describeErrno(error)}`);
  }
}

/** Reads a stream to its end, stopping early (without buffering more) once it is too large. */
async function readAll(label: string, input: NodeJS.ReadableStream, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_SECRET_BYTES) {
      throw new SecretError(
        `${label}: ${what} is over ${MAX_SECRET_BYTES} bytes, BuildKit's limit`,
        'SECRET_TOO_LARGE',
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** At a terminal: one line, not echoed; the newline that ends it is not part of the value. */
async function readHiddenLine(
  stdin: NodeJS.ReadStream,
  prompt: NodeJS.WritableStream,
): Promise<Buffer> {
  // Raw mode first: keys typed as soon as the prompt shows must not be echoed.
  stdin.setRawMode(true);
  prompt.write('Value (input hidden, Enter to finish): ');
  const bytes: number[] = [];

  try {
    for await (const chunk of stdin) {
      for (const byte of chunk as Buffer) {
        if (byte === 0x0d || byte === 0x0a || byte === 0x04) return Buffer.from(bytes);
        // Raw mode turns ^C into a byte instead of SIGINT; it ends the run as SIGINT would.
        if (byte === 0x03) throw new OnaBuildError('cancelled', 'CANCELLED', 130);
        if (byte === 0x7f) bytes.pop();
        else bytes.push(byte);
      }
    }
    return Buffer.from(bytes);
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    prompt.write('\n');
  }
}
