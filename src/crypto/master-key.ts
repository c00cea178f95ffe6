// The master key wraps every scope's data key. It comes from ONA_BUILD_MASTER_KEY (CI) or from a
// private key file that is created on first use. Errors never echo key material.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { describeErrno, errorCode } from '../errno.js';
import { StoreError } from '../errors.js';
import { ownedByUs } from '../ownership.js';
import { generateKey, KEY_BYTES } from './envelope.js';
import { makePrivateDirs } from '../private-dirs.js';

export const MASTER_KEY_ENV = 'ONA_BUILD_MASTER_KEY';

// A valid key file is 45 bytes; anything much larger is the wrong file, so do not read it all.
const MAX_KEY_FILE_BYTES = 1024;

export interface LoadMasterKeyOptions {
  env?: NodeJS.ProcessEnv;
  keyFile: string;
  /** Create the key file when it is missing (commands that write secrets). */
  create: boolean;
  /** A store that already exists: its key is elsewhere, so a missing key file is not made. */
  existingStore?: string;
}

export function loadMasterKey(options: LoadMasterKeyOptions): Buffer {
  // Set-but-empty counts as set: an empty CI secret must fail, not fall back to a fresh key file.
  const fromEnv = (options.env ?? process.env)[MASTER_KEY_ENV];
  if (fromEnv !== undefined) {
    return decodeKey(fromEnv.trim(), `${MASTER_KEY_ENV} must be base64 of exactly 32 bytes`);
  }

  const existing = readKeyFile(options.keyFile);
  if (existing) return existing;

  if (options.existingStore !== undefined) {
    throw new StoreError(
      `master key file ${options.keyFile} does not exist, but secret store ` +
        `${options.existingStore} does, so its key is elsewhere: pass its --key-file ` +
        `(or ONA_BUILD_KEY_FILE), or set ${MASTER_KEY_ENV}`,
      'MASTER_KEY',
    );
  }
  if (!options.create) {
    throw new StoreError(
      `master key file ${options.keyFile} does not exist; set ${MASTER_KEY_ENV} or store a ` +
        `secret first to create it`,
      'MASTER_KEY',
    );
  }
  return createKeyFile(options.keyFile) ?? readExistingKeyFile(options.keyFile);
}

/** Strict base64: the text must be the canonical encoding of exactly 32 bytes. */
function decodeKey(text: string, message: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text) {
    throw new StoreError(message, 'MASTER_KEY');
  }
  return key;
}

/** The key in the file, or undefined when there is no file. */
function readKeyFile(keyFile: string): Buffer | undefined {
  let fd: number;
  try {
    // O_NONBLOCK so a FIFO planted at the path fails the regular-file check instead of hanging.
    fd = fs.openSync(keyFile, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw keyFileError(keyFile, error);
  }

  try {
    checkKeyFile(keyFile, fs.fstatSync(fd));
    const text = fs.readFileSync(fd, 'utf8').trimEnd();
    return decodeKey(text, `master key file ${keyFile} must hold base64 of exactly 32 bytes`);
  } finally {
    fs.closeSync(fd);
  }
}

function readExistingKeyFile(keyFile: string): Buffer {
  const key = readKeyFile(keyFile);
  if (!key) throw new StoreError(`master key file ${keyFile} disappeared`, 'MASTER_KEY');
  return key;
}

function checkKeyFile(keyFile: string, stat: fs.Stats): void {
  if (!stat.isFile()) {
    throw new StoreError(`master key file ${keyFile} is not a regular file`, 'MASTER_KEY');
  }
  if (!ownedByUs(stat)) {
    throw new StoreError(
      `master key file ${keyFile} belongs to another user (uid ${stat.uid}), who could read or ` +
        'replace it; use a key file of your own',
      'MASTER_KEY',
    );
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new StoreError(
      `master key file ${keyFile} is accessible to group or others (mode ${mode}); ` +
        `run: chmod 600 ${keyFile}`,
      'MASTER_KEY',
    );
  }
  if (stat.size > MAX_KEY_FILE_BYTES) {
    throw new StoreError(`master key file ${keyFile} is too large to be a key`, 'MASTER_KEY');
  }
}

/**
 * Writes a new key to a private temporary file and links it into place. link() fails if the key
 * file exists, so two processes racing here never both win, and the loser never sees a
 * half-written file. Returns undefined when another process won; the caller reads its key.
 */
function createKeyFile(keyFile: string): Buffer | undefined {
  const dir = path.dirname(keyFile);
  const key = generateKey();
  const temp = path.join(dir, `.${path.basename(keyFile)}.${randomBytes(6).toString('hex')}.tmp`);

  try {
    makePrivateDirs(dir);
    writePrivateFile(temp, `${key.toString('base64')}\n`);
    fs.linkSync(temp, keyFile);
    return key;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    throw keyFileError(keyFile, error);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function writePrivateFile(file: string, text: string): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function keyFileError(keyFile: string, error: unknown): StoreError {
  const reason = describeErrno(error);
  return new StoreError(`cannot use master key file ${keyFile}: ${reason}`, 'MASTER_KEY', {
    cause: error,
  });
}
