// `--scan-leaks`: after a build, export what it produced and look for the bytes (and encoded
// forms) of every secret it received. The image is found through an `--iidfile` ona-build adds
// to the run directory (or the user's own), or read from the tar an `--output type=docker|oci,
// dest=FILE` wrote. The scanner is loaded only when asked for: it brings dockerode.

import fs from 'node:fs';
import path from 'node:path';

import { LeakFoundError, UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Secret } from '../secrets/model.js';
import { parseGoBool } from '../go-bool.js';
import { flagIsOn } from './buildx-flags.js';

export type ScanMode = 'off' | 'warn' | 'fail';

export interface ScanTarget {
  /** Extra builder flags that make the build say what it produced. */
  readonly flags: string[];
  /** Where to find the result after the build. */
  readonly read: () => { image: string } | { tarFile: string } | undefined;
}

/** Decides how the built image will be found, from the user's own flags. */
export function scanTarget(passthrough: readonly string[], runDir: string): ScanTarget {
  const output = flagValue(passthrough, ['--output', '-o']);
  const dest =
    output && /(?:^|,)type=(?:docker|oci)(?:,|$)/.test(output)
      ? /(?:^|,)dest=([^,]+)/.exec(output)?.[1]
      : undefined;
  if (dest) return { flags: [], read: () => ({ tarFile: path.resolve(dest) }) };

  const userIidFile = flagValue(passthrough, ['--iidfile']);
  const iidFile = userIidFile ?? path.join(runDir, 'iid');
  return {
    flags: userIidFile ? [] : ['--iidfile', iidFile],
    read: () => {
      const image = readIfPresent(iidFile)?.trim();
      return image ? { image } : undefined;
    },
  };
}

/** `-o -`, or an output with `dest=-`: the builder writes the result, an archive, to stdout. */
export function exportsToStdout(passthrough: readonly string[]): boolean {
  const output = flagValue(passthrough, ['--output', '-o']);
  return output === '-' || (output?.split(',').includes('dest=-') ?? false);
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
  if (flagIsOn(args, '--push')) return true;

  const output = flagValue(args, ['--output', '-o']) ?? '';
  const fields = output.split(',');
  if (fields.includes('type=registry')) return true;
  return fields.some(
    (field) => field.startsWith('push=') && parseGoBool(field.slice('push='.length)) === true,
  );
}

export async function scanBuildResult(
  target: ScanTarget,
  secrets: readonly Secret[],
  mode: Exclude<ScanMode, 'off'>,
  logger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const result = target.read();
  if (!result) {
    logger.warn('--scan-leaks: the build produced no image or tar to scan');
    return;
  }

  const scan = await import('../scan/index.js');
  const scanSecrets = secrets.map((s) => ({
    name: s.name,
    scope: s.scope,
    value: s.value,
    registryUser: s.registry?.username,
  }));
  const report =
    'image' in result
      ? await scan.scanImage({ image: result.image, secrets: scanSecrets, env })
      : await scan.scanTarStream(fs.createReadStream(result.tarFile), scanSecrets);

  const lines = scan.formatReport(report);
  for (const line of lines) {
    if (report.findings.length > 0) logger.warn(line);
    else logger.info(line);
  }
  if (report.findings.length > 0 && mode === 'fail') {
    throw new LeakFoundError(
      `the built image holds secret values (${report.findings.length} found)`,
    );
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
