// Where a build's result goes, read from the `--output`/`-o` flags (and `--load`, `--push`) as
// buildx reads them, so the leak scan knows what to look at without asking the builder. The
// rules follow buildx's ParseExports (util/buildflags/export.go): CSV fields, a bare path is a
// local directory, `-` is a tar on stdout, `registry` is an image pushed.

import { splitCsv } from '../dockerfile/mounts.js';
import { parseGoBool } from '../go-bool.js';
import { flagIsOn } from './buildx-flags.js';
import { splitFlag } from './passthrough.js';

export interface BuildOutput {
  /** The exporter: `local`, `tar`, `docker`, `oci`, `image`, `cacheonly`, or one buildx adds. */
  readonly type: string;
  /** The file or directory written; `-` for stdout; unset when the output names none. */
  readonly dest?: string;
  readonly attrs: Readonly<Record<string, string>>;
}

const OUTPUT_FLAGS = ['--output', '-o'];

/**
 * Every output the build asks for, in order; empty for none (the builder's default). An output
 * buildx would refuse is left out: the build fails before it exports anything.
 */
export function buildOutputs(args: readonly string[]): BuildOutput[] {
  const outputs = outputValues(args)
    .map(parseOutput)
    .filter((output) => output !== undefined);

  if (flagIsOn(args, '--push') && !outputs.some(({ type }) => type === 'image')) {
    outputs.push({ type: 'image', attrs: { push: 'true' } });
  }
  if (flagIsOn(args, '--load') && !outputs.some(loadsIntoEngine)) {
    outputs.push({ type: 'docker', attrs: {} });
  }
  return outputs;
}

/** `docker` without a file: the image is loaded into the engine. */
export function loadsIntoEngine(output: BuildOutput): boolean {
  return output.type === 'docker' && !output.dest;
}

/** `dest=-`, or a `tar` or `oci` archive with no file named, which buildx writes to stdout. */
export function writesToStdout(output: BuildOutput): boolean {
  if (output.dest === '-') return true;
  return !output.dest && (output.type === 'tar' || output.type === 'oci');
}

/** An `image` output with `push` on (`--push`, `type=registry` or `push=true`). */
export function pushes(output: BuildOutput): boolean {
  return output.type === 'image' && parseGoBool(output.attrs.push ?? '') === true;
}

function parseOutput(value: string): BuildOutput | undefined {
  const fields = splitCsv(value);
  if (typeof fields === 'string') return undefined;

  if (fields.length === 1 && fields[0] === value && !value.startsWith('type=')) {
    return value === '-'
      ? { type: 'tar', dest: '-', attrs: {} }
      : { type: 'local', dest: value, attrs: {} };
  }

  const attrs: Record<string, string> = {};
  for (const field of fields) {
    const equals = field.indexOf('=');
    if (equals === -1) return undefined;
    attrs[field.slice(0, equals).trim().toLowerCase()] = field.slice(equals + 1);
  }

  const { type, dest, ...rest } = attrs;
  if (!type) return undefined;
  if (type === 'registry') return { type: 'image', dest, attrs: { push: 'true', ...rest } };
  return { type, dest, attrs: rest };
}

/** The value of every `--output`/`-o` before any `--`, in order. */
function outputValues(args: readonly string[]): string[] {
  const values: string[] = [];

  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    if (!args[i].startsWith('-')) continue;
    // `--output=x`, `-o=x`, `-ox`, and bundled with -q as pflag reads it: `-qo x`, `-qox`.
    const [flag, inline] = splitFlag(args[i]);
    if (!OUTPUT_FLAGS.includes(flag)) continue;
    // `-o=` is an empty value, which buildx refuses, not a flag waiting for the next argument.
    const value = inline ?? (args[i].endsWith('=') ? '' : undefined);
    if (value !== undefined) values.push(value);
    else if (i + 1 < args.length) values.push(args[++i]);
  }
  return values;
}
