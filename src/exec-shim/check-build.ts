// What `ona-build build` checks before it starts a builder, for the builds `exec`'s command runs:
// the shim hands each build's own arguments to `ona-build exec-check` before the real client sees
// them. An argument holding a stored value (a --build-arg, a tag, a label) is refused, as is a
// bare --build-arg whose variable holds one, a context holding ona-build's own files and a -f
// naming one. The values come from the run's secret files and its docker config, which the
// command can read anyway; the manifest that names them holds paths only.

import fs from 'node:fs';
import path from 'node:path';

import { readBuildArgs } from '../build/build-args.js';
import { refuseOwnFilesInContexts, type OwnFiles } from '../build/context-guard.js';
import { readPassthrough, splitFlag } from '../build/passthrough.js';
import { describeArgument } from '../build/preflight.js';
import { describeErrno } from '../errno.js';
import { MaterializeError, SecretError, UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import { writeFileExclusive } from '../materialize/run-dir.js';
import { Redactor, type MaskSource } from '../redact/index.js';

const MANIFEST = 'exec-check.json';

export interface CheckManifest {
  /** The run's secret files, by id. */
  readonly secretFiles: readonly { readonly id: string; readonly file: string }[];
  /** The temporary docker config directory, whose config.json holds the registry auth. */
  readonly dockerConfig: string;
  readonly own: OwnFiles;
}

export function writeCheckManifest(runDir: string, manifest: CheckManifest): void {
  writeFileExclusive(path.join(runDir, MANIFEST), Buffer.from(JSON.stringify(manifest)));
}

/** Throws what `ona-build build` would throw for `args`, a build's own arguments. */
export function checkShimBuild(
  runDir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  logger: Logger,
): void {
  const manifest = readManifest(runDir);
  const redactor = new Redactor();
  redactor.add(storedValues(manifest));

  refuseSecretArguments(args, env, redactor);

  let info;
  try {
    info = readPassthrough(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // No one context to be found (a flag taking a value this does not know, or no context at
    // all): every word that is not a flag may be the one the client takes, so each is checked.
    const dockerfile = dockerfileOf(args);
    for (const word of args.filter((arg) => !arg.startsWith('-'))) {
      const guessed = { context: word, dockerfile, userSecrets: [] };
      refuseOwnFilesInContexts(guessed, args, manifest.own, logger);
    }
    return;
  }
  refuseOwnFilesInContexts(info, args, manifest.own, logger);
}

function refuseSecretArguments(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
): void {
  args.forEach((arg, index) => {
    if (!redactor.holdsSecret(arg)) return;
    throw new SecretError(
      `in a build the command runs, ${describeArgument(args, index)} carries the value (or an ` +
        'encoded form) of a stored secret: options end up in argv, logs and often the image; ' +
        'mount the secret instead (RUN --mount=type=secret)',
      'SECRET_IN_OPTIONS',
    );
  });

  for (const name of readBuildArgs(args).fromEnv) {
    const value = env[name];
    if (value === undefined || !redactor.holdsSecret(value)) continue;
    throw new SecretError(
      `build argument ${name} takes the value of the variable ${name}, which holds a stored ` +
        "secret's value: build arguments are recorded in the image; mount the secret instead",
      'SECRET_BUILD_ARG',
    );
  }
}

function readManifest(runDir: string): CheckManifest {
  try {
    return JSON.parse(fs.readFileSync(path.join(runDir, MANIFEST), 'utf8')) as CheckManifest;
  } catch (error) {
    const why = error instanceof SyntaxError ? 'not JSON' : describeErrno(error);
    throw new MaterializeError(
      `exec-check: ${runDir} holds no readable ${MANIFEST} (${why}): it is not the run ` +
        'directory of a live ona-build exec, or its files were removed',
      'NO_EXEC_RUN',
    );
  }
}

/** The value of the last -f or --file, in any spelling buildx takes. */
function dockerfileOf(args: readonly string[]): string | undefined {
  let dockerfile: string | undefined;
  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    if (!args[i].startsWith('-')) continue;
    const [flag, inline] = splitFlag(args[i]);
    if (flag === '-f' || flag === '--file') dockerfile = inline ?? args[++i];
  }
  return dockerfile;
}

/** The values of the secret files, and the registry credentials of the docker config. */
function storedValues(manifest: CheckManifest): MaskSource[] {
  const values: MaskSource[] = manifest.secretFiles.map(({ id, file }) => ({
    id,
    value: fs.readFileSync(file),
  }));

  const config = JSON.parse(
    fs.readFileSync(path.join(manifest.dockerConfig, 'config.json'), 'utf8'),
  ) as { auths?: Record<string, { auth?: string; identitytoken?: string }> };
  for (const [host, entry] of Object.entries(config.auths ?? {})) {
    if (entry.identitytoken) values.push({ id: host, value: Buffer.from(entry.identitytoken) });
    if (!entry.auth) continue;
    const pair = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    if (colon === -1) continue;
    const registryUser = pair.slice(0, colon);
    values.push({ id: host, value: Buffer.from(pair.slice(colon + 1)), registryUser });
  }
  return values;
}
