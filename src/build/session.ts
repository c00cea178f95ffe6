// What `build` and `exec` share: sweep what killed runs left, resolve the build's secrets and
// register them with the redactor before anything else can print, pick a safe temp root, and
// materialize the secret files and docker config in a run directory removed on every exit path.

import { SecretError } from '../errors.js';
import type { Logger } from '../log.js';
import { helperExists, listHelperServers } from '../materialize/credential-helpers.js';
import { materializeSecrets, type SecretFileTarget } from '../materialize/materialize.js';
import { knownRoots, knownRootsFile, rememberRoot } from '../materialize/known-roots.js';
import { createRunDir, type RunDir } from '../materialize/run-dir.js';
import { sweepStaleRunDirs } from '../materialize/sweep.js';
import { candidateRoots, chooseTempRoot, type TempRoot } from '../materialize/temp-root.js';
import type { Redactor } from '../redact/index.js';
import { maskSourcesOf } from '../secrets/mask-sources.js';
import { MAX_SECRET_BYTES, type Secret } from '../secrets/model.js';
import { describeOverride, type Override } from '../secrets/precedence.js';
import { resolveSecrets, scopesFor, type Principal } from '../secrets/resolve.js';
import type { SecretSource } from '../secrets/source.js';
import { describeScope } from '../secrets/validate.js';
import type { SignalTrap } from '../signals.js';
import { missingHelperNotices } from './registry-hints.js';

export interface SessionOptions {
  readonly principal: Principal;
  readonly source: SecretSource;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly signals: SignalTrap;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly tmpdir?: string;
  readonly allowDiskSecrets?: boolean;
  /** Where per-installation state lives (next to the store): fingerprints and their key. */
  readonly stateDir: string;
}

export interface PreparedSecrets {
  readonly secrets: Secret[];
  /** Secrets dropped for another that wins, which a Dockerfile may still ask for by name. */
  readonly overrides: readonly Override<Secret>[];
  readonly root: TempRoot;
  /**
   * Adds an explicit root to the list `gc` and later runs sweep; called as the run directory is
   * made there, so a run refused before that adds nothing.
   */
  readonly rememberRoot: () => void;
}

export async function prepareSecrets(options: SessionOptions): Promise<PreparedSecrets> {
  const { logger, env } = options;
  const rootOptions = { env, explicit: options.tmpdir, allowDisk: options.allowDiskSecrets };

  const rootsList = knownRootsFile(env);
  const sweepRoots = [...candidateRoots(rootOptions), ...knownRoots(rootsList)];
  for (const dir of sweepStaleRunDirs(sweepRoots).removed) {
    logger.info(`removed ${dir}, left behind by an interrupted run`);
  }

  const resolution = await resolveSecrets(options.source, options.principal, 'build');
  if (resolution.secrets.length === 0) warnNoSecrets(options.principal, logger);
  // The values precedence dropped too: still stored, they can still show (an old cached layer).
  const dropped = resolution.overrides.map((override) => override.loser);
  registerMasks(options.redactor, [...resolution.secrets, ...dropped], logger);
  assertWithinLimit(resolution.secrets);
  for (const override of resolution.overrides) logger.info(describeOverride(override));

  const root = chooseTempRoot(rootOptions);
  for (const problem of root.passedOver) logger.debug(`temp root passed over: ${problem}`);
  if (!root.isTmpfs) logger.warn(`secret files go to ${root.path}, which is not a tmpfs`);
  const rememberRoot = () => {
    if (options.tmpdir !== undefined) recordRoot(rootsList, root.path, logger);
  };
  return { secrets: resolution.secrets, overrides: resolution.overrides, root, rememberRoot };
}

/** Most often a mistyped --org: the build would run, only without the secrets it needs. */
export function warnNoSecrets(principal: Principal, logger: Logger): void {
  const scopes = scopesFor(principal, 'build').map(describeScope).join(' or ');
  logger.warn(`no secrets are stored for ${scopes}: check --org and --project`);
}

/** So that `gc` and later runs sweep what a killed run leaves in a root given explicitly. */
function recordRoot(list: string, root: string, logger: Logger): void {
  try {
    rememberRoot(list, root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    logger.warn(
      `cannot add ${root} to ${list} (${code}): if this run is killed, sweep what it leaves ` +
        `with ona-build gc --tmpdir ${root}`,
    );
  }
}

/** Runs `body` with a fresh run directory that is removed afterwards, however `body` ends. */
export async function withRunDir<T>(
  prepared: PreparedSecrets,
  logger: Logger,
  body: (dir: RunDir) => Promise<T>,
): Promise<T> {
  prepared.rememberRoot();
  const dir = createRunDir(prepared.root.path);
  try {
    return await body(dir);
  } finally {
    dir.remove();
    logger.debug('removed the run directory', { dir: dir.path });
  }
}

/**
 * Writes the secret files and the temporary docker config; returns the config directory.
 * `pulledFrom` (the registries the build pulls from, when knowable) decides how loudly a
 * credential helper that is not installed is reported.
 */
export async function writeRunFiles(
  target: SecretFileTarget,
  secrets: readonly Secret[],
  options: Pick<SessionOptions, 'env' | 'logger' | 'redactor'>,
  pulledFrom?: readonly string[],
): Promise<string> {
  const { env, logger, redactor } = options;
  const config = await materializeSecrets(target, secrets, {
    env,
    helperExists: (name) => helperExists(name, env),
    listHelperServers: (name) => listHelperServers(name, env, redactor),
  });

  for (const notice of missingHelperNotices(config.droppedHelpers, pulledFrom, config.managed)) {
    logger[notice.level](notice.message);
  }
  return config.dir;
}

/** Registers every value before anything else can print it; warns about unmaskable ones. */
function registerMasks(redactor: Redactor, secrets: readonly Secret[], logger: Logger): void {
  const skipped = redactor.add(maskSourcesOf(secrets));
  for (const { id } of skipped) {
    const scope = secrets.find((secret) => secret.name === id)?.scope;
    const where = scope === undefined ? '' : ` (${describeScope(scope)})`;
    logger.warn(`secret ${id}${where} is too short to be masked in output; use a longer value`);
  }
}

/**
 * The store refuses larger values when they are set; other sources may not, and BuildKit's own
 * error would come late and name neither the scope nor the limit.
 */
function assertWithinLimit(secrets: readonly Secret[]): void {
  for (const secret of secrets) {
    if (secret.value.length <= MAX_SECRET_BYTES) continue;
    throw new SecretError(
      `secret ${secret.name} (${describeScope(secret.scope)}) is ${secret.value.length} bytes; ` +
        `BuildKit accepts at most ${MAX_SECRET_BYTES}`,
      'SECRET_TOO_LARGE',
    );
  }
}
