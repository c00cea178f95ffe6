// `ona-build exec` puts a docker shim first on PATH and DOCKER_CONFIG at its own temporary config.
// An ona-build build (or exec) run by that command would reach the real builder through the shim,
// which adds the outer run's secrets and registry auth: two organizations' secrets in one build,
// ids that collide, masking and pre-flight that know only half of them. So it is refused.

import { UsageError } from '../errors.js';

/** Set in the environment of the command `exec` runs, to the run directory of that exec. */
export const INSIDE_EXEC_ENV = 'ONA_BUILD_INSIDE_EXEC';

export function refuseInsideExec(env: NodeJS.ProcessEnv, command: string): void {
  if (env[INSIDE_EXEC_ENV] === undefined) return;
  throw new UsageError(
    `${command} cannot run inside ona-build exec: the docker it would run is exec's shim, which ` +
      "adds exec's own secrets and registry auth; run docker build there directly (exec gives it " +
      `the secrets), or run ${command} outside exec`,
    'INSIDE_EXEC',
  );
}
