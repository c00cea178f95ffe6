// Reads `--build-arg` and `--target` from the passthrough options, for the pre-flight checks.

import { VALUE_FLAGS } from './buildx-flags.js';

export interface BuildArgsInfo {
  /** `--build-arg NAME=value`; a bare `--build-arg NAME` (value from the environment) is absent. */
  readonly buildArgs: Record<string, string>;
  /**
   * Variables a bare `--build-arg NAME` reads from the environment. The variables of the user's
   * own `--secret` flags are not build arguments: see secretVariable (passthrough.ts).
   */
  readonly fromEnv: string[];
  readonly target?: string;
}

export function readBuildArgs(args: readonly string[]): BuildArgsInfo {
  const buildArgs: Record<string, string> = {};
  const fromEnv: string[] = [];
  let target: string | undefined;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!VALUE_FLAGS.has(flag)) continue;

    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) break;
    if (flag === '--target') target = value;
    if (flag === '--build-arg' && value.includes('=')) {
      const at = value.indexOf('=');
      buildArgs[value.slice(0, at)] = value.slice(at + 1);
    } else if (flag === '--build-arg') {
      fromEnv.push(value);
    }
  }
  return { buildArgs, fromEnv, target };
}
