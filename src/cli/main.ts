// The command table. Command bodies live in their own modules; this file only wires them up and
// turns yargs' own usage failures into one line and exit code 2.

import yargs from 'yargs';

import { UsageError } from '../errors.js';
import { Logger } from '../log.js';
import { Redactor } from '../redact/index.js';
import { guardOutputStreams } from '../signals.js';
import { VERSION } from '../version.js';
import * as build from './build.js';
import { globalOptions } from './context.js';
import * as devcontainer from './devcontainer.js';
import * as doctor from './doctor.js';
import * as exec from './exec.js';
import * as execCheck from './exec-check.js';
import * as gc from './gc.js';
import * as plan from './plan.js';
import * as scan from './scan.js';
import * as secret from './secret.js';
import { bindOptionalValues } from './optional-values.js';
import { listCommands, safeUsageMessage } from './usage-message.js';
import { cleanUpOnCrash } from './crash.js';
import { AS_TYPED } from './as-typed.js';

export async function main(argv: string[]): Promise<void> {
  guardOutputStreams();
  cleanUpOnCrash();
  try {
    await parser(bindOptionalValues(argv)).parseAsync();
  } catch (error) {
    // Only yargs' own failures get here: command handlers report their errors themselves.
    const message = error instanceof Error ? error.message : String(error);
    const format = asksForJson(argv) ? 'json' : 'text';
    const redactor = new Redactor();
    new Logger({ level: 'error', format, redactor, sink: process.stderr }).error(message);
    if (format === 'text') process.stderr.write('Run ona-build --help for usage.\n');
    process.exitCode = 2;
  }
}

/** `--log-format json` as typed: the parse that would say so is the one that failed. */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  return options.some(
    (arg, index) =>
      arg === '--log-format=json' || (arg === '--log-format' && options[index + 1] === 'json'),
  );
}

function parser(argv: string[]) {
  const instance = yargs(argv).parserConfiguration(AS_TYPED);
  skipHelpCache(instance);
  return (
    globalOptions(instance)
      .scriptName('ona-build')
      .command(secret)
      .command(build)
      .command(plan)
      .command(devcontainer)
      .command(exec)
      .command(execCheck)
      .command(scan)
      .command(gc)
      .command(doctor)
      .demandCommand(1, `name a command: ${listCommands()}`)
      .middleware(refuseRepeatedOptions, true)
      .strict()
      // Throwing stops yargs: a usage error must never let the command run anyway.
      .fail((message, error) => {
        throw error ?? new UsageError(safeUsageMessage(message, argv));
      })
      .help()
      .alias('help', 'h')
      .version(VERSION)
      // English whatever the locale: usage-message.ts recognises yargs' English messages to keep
      // stray words (perhaps a pasted secret) out of them.
      .locale('en')
      .wrap(100)
  );
}

// Options that take one value: given twice, yargs makes an array of them, which would reach the
// store as a scope name (and an error message would print both values).
const SINGLE_VALUE_OPTIONS = [
  'org',
  'project',
  'user',
  'service-account',
  'store',
  'key-file',
  'log-level',
  'log-format',
  'type',
  'mount',
  'registry',
  'username',
  'from-file',
  'tmpdir',
  'scan-leaks',
];

function refuseRepeatedOptions(argv: Record<string, unknown>): void {
  const repeated = SINGLE_VALUE_OPTIONS.find((name) => Array.isArray(argv[name]));
  if (repeated) throw new UsageError(`--${repeated} was given more than once`);
}

interface UsageInternals {
  cacheHelpMessage?: () => void;
}

interface YargsInternals {
  getInternalMethods?: () => { getUsageInstance?: () => UsageInternals };
}

/**
 * yargs renders the whole help text of a command as the command starts, in case it fails later
 * and help must be shown then. ona-build's handlers report their own errors and never show help
 * afterwards, and rendering `build`'s long option list took ~35 ms of every build. `--help` and
 * usage errors still render help as before. If yargs changes its internals, this does nothing.
 */
function skipHelpCache(instance: object): void {
  const usage = (instance as YargsInternals).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}
