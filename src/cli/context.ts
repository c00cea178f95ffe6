// What every command needs: one redactor built before anything is logged, a logger that writes
// through it, and the secret source, opened on demand.

import fs from 'node:fs';
import path from 'node:path';

import type { Argv } from 'yargs';

import { loadMasterKey } from '../crypto/master-key.js';
import { UsageError } from '../errors.js';
import { LOG_LEVELS, Logger, type LogFormat, type LogLevel } from '../log.js';
import { defaultKeyFile, defaultStorePath } from '../paths.js';
import { makePrivateDirs } from '../private-dirs.js';
import { Redactor } from '../redact/index.js';
import type { SecretSource } from '../secrets/source.js';
import { toStoreError } from '../secrets/store/schema.js';
import { SqliteStore } from '../secrets/store/sqlite-store.js';
import { refuseUnusablePath } from '../secrets/store/store-file.js';
import { asyncOutputs } from './async-output.js';
import { redactedOutput } from './redacted-output.js';

export interface GlobalArgs {
  readonly store?: string;
  readonly keyFile?: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

export function globalOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('store', {
      type: 'string',
      describe: 'The embedded store file [env ONA_BUILD_STORE]',
      global: true,
    })
    .option('key-file', {
      type: 'string',
      describe: 'The master key file, unless ONA_BUILD_MASTER_KEY is set [env ONA_BUILD_KEY_FILE]',
      global: true,
    })
    .option('log-level', {
      choices: LOG_LEVELS,
      default: 'info',
      describe: 'How much to log on stderr',
      global: true,
    })
    .option('log-format', {
      choices: ['text', 'json'] as const,
      default: 'text',
      describe: 'Log line format',
      global: true,
    });
}

export interface CommandContext {
  readonly env: NodeJS.ProcessEnv;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /**
   * Opens the existing store: a missing one is an error naming its path, and nothing (store,
   * directory or key file) is created. Closed by the entry point.
   */
  openSource(): SecretSource;
  /** Opens the store, creating it and, with it, its key file on first use: for `secret set`. */
  openOrCreateSource(): SecretSource;
  /** The directory holding the store: per-installation state lives beside it. */
  readonly stateDir: string;
  /** The store file and the key file (which, with ONA_BUILD_MASTER_KEY set, may not exist). */
  readonly storeFiles: { readonly store: string; readonly keyFile?: string };
  close(): void;
}

export function createContext(
  args: GlobalArgs,
  env: NodeJS.ProcessEnv = process.env,
): CommandContext {
  const redactor = new Redactor();
  const outputs = asyncOutputs();
  const logger = new Logger({
    level: args.logLevel,
    format: args.logFormat,
    redactor,
    sink: outputs.stderr,
  });
  let source: SecretSource | undefined;
  const storePath = args.store ?? defaultStorePath(env);
  const keyFile = args.keyFile ?? defaultKeyFile(env);

  const open = (create: boolean) =>
    (source ??= openStore(args, storePath, keyFile, env, create, redactor));

  return {
    env,
    redactor,
    logger,
    stdout: redactedOutput(outputs.stdout, redactor),
    stderr: redactedOutput(outputs.stderr, redactor),
    stateDir: path.dirname(path.resolve(storePath)),
    // Absolute: exec's checks run in the command's directory, wherever it has gone.
    storeFiles: {
      store: path.resolve(storePath),
      keyFile: keyFile === undefined ? undefined : path.resolve(keyFile),
    },
    openSource: () => open(false),
    openOrCreateSource: () => open(true),
    close() {
      source?.close();
    },
  };
}

function openStore(
  args: GlobalArgs,
  storePath: string,
  keyFile: string,
  env: NodeJS.ProcessEnv,
  create: boolean,
  redactor: Redactor,
): SecretSource {
  // yargs gives an option typed with no value the empty string.
  if (args.store === '') throw new UsageError('--store needs a file');
  if (args.keyFile === '') throw new UsageError('--key-file needs a file');

  // Before the key: a mistyped --store is named as such, not as a key file that is missing too.
  if (!create) SqliteStore.checkExisting(storePath);
  // A new key is made only with a new store: an existing store's key is somewhere else
  // (a mistyped --key-file, say), and a fresh one could only fail to open it.
  const existingStore = holdsData(storePath) ? storePath : undefined;
  // The store's path first: where it is refused or its directory cannot be made (under /proc,
  // below a file), no key is made for a store that could not be.
  if (create) prepareStorePath(storePath);
  const masterKey = loadMasterKey({ env, keyFile, create, existingStore });
  // The key opens every value: masked like one wherever it might be printed (its key file's
  // base64 text is among the forms), though ona-build itself never prints it.
  redactor.add([{ id: 'the master key', value: masterKey }]);
  return SqliteStore.open({ path: storePath, masterKey, create });
}

function prepareStorePath(storePath: string): void {
  try {
    refuseUnusablePath(storePath);
    makePrivateDirs(path.dirname(storePath));
  } catch (error) {
    throw toStoreError(error, storePath);
  }
}

/** A file with something in it (a store being created is empty until its schema is written). */
function holdsData(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}
