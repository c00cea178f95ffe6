// The store's file on disk, checked before SQLite opens it: what it is, whose it is, its mode, and
// creating it privately when a secret is first stored.

import fs from 'node:fs';
import path from 'node:path';

import { errorCode } from '../../errno.js';
import { StoreError } from '../../errors.js';
import { ownedByUs } from '../../ownership.js';
import { makePrivateDirs } from '../../private-dirs.js';

/**
 * Everything about the path that can be refused before the file is opened. With `create`, a
 * missing file (and its directory) is made; without it, a missing file is an error naming the
 * path, and nothing is written.
 */
export function prepareStoreFile(file: string, create: boolean): void {
  refuseUnusablePath(file);
  if (create) createPrivateFile(file);
  else refuseMissingStore(file);
  refuseForeignOwner(file);
}

/** What makes a path no place for a store, checked without writing anything. */
export function refuseUnusablePath(file: string): void {
  refuseDirectory(file);
  refuseForeignLink(file);
}

/** For a store that only reads: a mistyped --store must not look like an empty store. */
export function missingStoreError(file: string, state = 'does not exist'): StoreError {
  return new StoreError(
    `secret store ${file} ${state}: it is created by the first \`ona-build secret set\` ` +
      '(is --store or ONA_BUILD_STORE right?)',
    'STORE_MISSING',
  );
}

function refuseMissingStore(file: string): void {
  // lstat, not stat: a dangling link was refused above for what it is.
  if (!fs.lstatSync(file, { throwIfNoEntry: false })) throw missingStoreError(file);
  // Said before the key is looked for: an empty file has no key yet either, but is the problem.
  if (fs.statSync(file).size === 0) throw missingStoreError(file, 'is empty, not a store yet');
}

/** SQLite says only "unable to open database file" of a directory. */
function refuseDirectory(file: string): void {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) return;
  throw new StoreError(
    `secret store ${file} is a directory: give the path of the store's file (created on first ` +
      'use), such as a name inside it',
    'STORE',
  );
}

/**
 * A symbolic link another user planted would have the store written wherever it points (SQLite
 * creating the file there with its own mode); a dangling one too. Neither is followed.
 */
function refuseForeignLink(file: string): void {
  let link: fs.Stats;
  try {
    link = fs.lstatSync(file);
  } catch {
    return;
  }
  if (!link.isSymbolicLink()) return;

  if (!ownedByUs(link)) {
    throw new StoreError(
      `secret store ${file} is a symbolic link owned by another user (uid ${link.uid}); ` +
        'refusing to follow it',
      'STORE_OWNER',
    );
  }
  if (!fs.existsSync(file)) {
    throw new StoreError(`secret store ${file} is a symbolic link to a missing file`, 'STORE');
  }
}

/** Checked before anything is written: another user's store is neither read nor filled. */
function refuseForeignOwner(file: string): void {
  const { uid } = fs.statSync(file);
  if (ownedByUs({ uid })) return;
  throw new StoreError(
    `secret store ${file} belongs to another user (uid ${uid}), who could read or replace it; ` +
      'use a store of your own',
    'STORE_OWNER',
  );
}

/**
 * The values are encrypted, but names, scopes and mount paths are not, and a readable store can be
 * copied away for an offline attack on a weak key file: like ssh with a private key, refuse it.
 */
export function refuseLooseMode(file: string): void {
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  throw new StoreError(
    `secret store ${file} has mode ${mode.toString(8).padStart(4, '0')}: run chmod 600 ${file}`,
    'STORE_MODE',
  );
}

/**
 * Creates the store file ourselves, mode 0600, before SQLite writes a byte; SQLite gives the -wal
 * and -shm files the mode of the database file.
 */
function createPrivateFile(file: string): void {
  makePrivateDirs(path.dirname(file));
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
}
