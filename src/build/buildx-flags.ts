// The `docker buildx build` flags that take a value, so the passthrough argv can be read without
// mistaking a flag's value for the build context. Boolean flags need no entry. Kept as data: it
// tracks buildx's own `build --help`.

import { parseGoBool } from '../go-bool.js';

export const VALUE_FLAGS = new Set([
  '--add-host',
  '--allow',
  '--annotation',
  '--attest',
  '--build-arg',
  '--build-context',
  '--builder',
  '--cache-from',
  '--cache-to',
  '--call',
  '--cgroup-parent',
  '--config',
  '--context',
  '--file',
  '-f',
  '--iidfile',
  '--label',
  '--metadata-file',
  '--network',
  '--no-cache-filter',
  '--output',
  '-o',
  '--platform',
  '--progress',
  '--provenance',
  '--sbom',
  '--secret',
  '--shm-size',
  '--ssh',
  '--tag',
  '-t',
  '--target',
  '--ulimit',
  '--memory',
  '-m',
  '--memory-swap',
  '--cpu-shares',
  '-c',
  '--cpuset-cpus',
  '--isolation',
  // Experimental (BUILDX_EXPERIMENTAL=1), the classic client's, and older spellings.
  '--root',
  '--server-config',
  '--cpu-period',
  '--cpu-quota',
  '--cpuset-mems',
  '--security-opt',
]);

/** Whether boolean flag `name` is on among `args` (before any `--`): `--name` or `--name=true`. */
export function flagIsOn(args: readonly string[], name: string): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some(
    (arg) =>
      arg === name ||
      (arg.startsWith(`${name}=`) && parseGoBool(arg.slice(name.length + 1)) === true),
  );
}
