// `--scan-leaks`: after a build, read what it produced and look for the bytes (and encoded forms)
// of every secret it received. What is read depends on the outputs (scan-places.ts): the image in
// the engine, found through an `--iidfile` ona-build adds to the run directory (or the user's
// own); the tar an `--output type=docker|oci,dest=FILE` wrote; or the files of a `type=local`
// directory or `type=tar` file. The scanner is loaded only when asked for: it brings dockerode.

import fs from 'node:fs';
import path from 'node:path';

import { LeakFoundError, UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Secret } from '../secrets/model.js';
import type * as Scanner from '../scan/index.js';
import type { ScanReport, ScanSecret } from '../scan/index.js';
import { flagIsOn } from './buildx-flags.js';
import { buildOutputs, pushes, writesToStdout } from './build-outputs.js';
import { scanPlaces, type ScanPlace } from './scan-places.js';

export type ScanMode = 'off' | 'warn' | 'fail';

type WrittenFile = Extract<ScanPlace, { readonly path: string }>;

/** What the build produced, to be scanned once it has finished. */
export type BuildResult = { readonly kind: 'image'; readonly image: string } | WrittenFile;

export interface ScanTarget {
  /** Extra builder flags that make the build say what it produced. */
  readonly flags: string[];
  /** Where to find the results after the build; empty when it produced nothing to scan. */
  readonly read: () => BuildResult[];
  /** Why an output is not scanned, one line each, for a warning. */
  readonly unscannable: string[];
}

/**
 * Decides how the build's results will be found, from the user's own flags; undefined when the
 * only result is an archive on stdout, which is watched as it passes instead.
 */
export function scanTarget(passthrough: readonly string[], runDir: string): ScanTarget | undefined {
  const places = scanPlaces(passthrough);
  const kept = places.filter((place) => place.kind !== 'stdout');
  if (kept.length === 0) return undefined;

  const files = kept.filter((place): place is WrittenFile => 'path' in place);
  const unscannable = kept.flatMap((place) => (place.kind === 'unscannable' ? [place.reason] : []));
  if (!kept.some((place) => place.kind === 'engine')) {
    return { flags: [], read: () => files, unscannable };
  }

  const userIidFile = flagValue(passthrough, ['--iidfile']);
  const iidFile = userIidFile ?? path.join(runDir, 'iid');
  return {
    flags: userIidFile ? [] : ['--iidfile', iidFile],
    read: () => {
      const image = readIfPresent(iidFile)?.trim();
      return image ? [{ kind: 'image', image }, ...files] : files;
    },
    unscannable,
  };
}

/**
 * `--scan-leaks=fail` must not pass a build whose result it could not read: an output it cannot
 * scan is refused up front, before anything is built, rather than reported as clean.
 */
export function refuseUnscannableOutputs(passthrough: readonly string[], mode: ScanMode): void {
  if (mode !== 'fail') return;

  const place = scanPlaces(passthrough).find((candidate) => candidate.kind === 'unscannable');
  if (place === undefined) return;
  throw new UsageError(
    `--scan-leaks=fail cannot pass this build: ${place.reason}; ` +
      'use --scan-leaks (warn) to build it with that output left unscanned',
  );
}

/**
 * `-o -`, an output with `dest=-`, or a `tar` or `oci` one without a dest: the builder writes the
 * result, an archive, to stdout.
 */
export function exportsToStdout(passthrough: readonly string[]): boolean {
  return buildOutputs(passthrough).some(writesToStdout);
}

/**
 * The archive written to stdout held a secret value: a step copied one into the files the build
 * exports. It went through unchanged, as masking would corrupt the archive; this says so, as a
 * leak the scan would report (and with `fail`, fails the same way). What reached stdout cannot
 * be taken back: its reader should discard it.
 */
export function reportStdoutLeak(mode: ScanMode, logger: Logger): void {
  const message =
    'the build result written to stdout (-o -) holds a secret value: a step copies a secret ' +
    'into the exported files (it went through unchanged: masking would corrupt the archive)';
  if (mode === 'fail') throw new LeakFoundError(message);
  logger.warn(message);
}

/**
 * A push happens as the build ends, before anything can be scanned: `fail` could not keep a leaky
 * image from the registry, so it is refused up front rather than giving that false assurance.
 */
export function refuseScanAfterPush(passthrough: readonly string[], mode: ScanMode): void {
  if (mode !== 'fail' || !pushesResult(passthrough)) return;
  throw new UsageError(
    '--scan-leaks=fail cannot stop a push: the image is pushed before it can be scanned; ' +
      'build with --load and --scan-leaks=fail, then push the image once it has passed',
  );
}

/** `--push`, or an `--output` of type registry or with push=true. */
export function pushesResult(args: readonly string[]): boolean {
  return flagIsOn(args, '--push') || buildOutputs(args).some(pushes);
}

export async function scanBuildResult(
  target: ScanTarget,
  secrets: readonly Secret[],
  mode: Exclude<ScanMode, 'off'>,
  logger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  for (const reason of target.unscannable) logger.warn(`--scan-leaks: ${reason}`);
  const results = target.read();
  if (results.length === 0) {
    if (target.unscannable.length === 0) {
      logger.warn('--scan-leaks: the build produced no image or files to scan');
    }
    return;
  }

  const scanSecrets = secrets.map((s) => ({
    name: s.name,
    scope: s.scope,
    value: s.value,
    registryUser: s.registry?.username,
  }));
  const scan = await import('../scan/index.js');
  let found = 0;
  for (const result of results) {
    const report = await scanResult(scan, result, scanSecrets, env);
    found += report.findings.length;
    for (const line of scan.formatReport(report)) {
      if (report.findings.length > 0) logger.warn(line);
      else logger.info(line);
    }
  }

  if (found > 0 && mode === 'fail') {
    const what = results.every(({ kind }) => kind === 'image') ? 'built image' : 'build result';
    throw new LeakFoundError(`the ${what} holds secret values (${found} found)`);
  }
}

async function scanResult(
  scan: typeof Scanner,
  result: BuildResult,
  secrets: readonly ScanSecret[],
  env: NodeJS.ProcessEnv,
): Promise<ScanReport> {
  switch (result.kind) {
    case 'image':
      return scan.scanImage({ image: result.image, secrets, env });
    case 'image-archive':
      return scan.scanTarStream(fs.createReadStream(result.path), secrets);
    case 'directory':
      return scan.scanDirectory(result.path, secrets);
    case 'filesystem-tar':
      return scan.scanFilesystemTar(fs.createReadStream(result.path), secrets, result.path);
  }
}

function flagValue(args: readonly string[], names: string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (names.includes(arg)) value = args[++i];
    for (const name of names) if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
  }
  return value;
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
