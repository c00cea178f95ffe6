// Finds the buildx plugin the way the docker CLI does on Linux, without running anything: the
// user's config directory first, then the system directories the CLI searches (docker/cli,
// cli-plugins/manager). Asking `docker buildx version` instead costs three program start-ups on
// every build, which was the largest single part of the wrapper's overhead on a cached build.

import path from 'node:path';

import { userDockerConfigDir } from '../materialize/docker-config.js';
import { lexists } from '../lexists.js';
import { isExecutableFile } from '../which.js';

export const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
] as const;

export interface BuildxPlugin {
  readonly path: string;
  /** An executable regular file. Anything else there still hides the plugins after it. */
  readonly usable: boolean;
}

/**
 * The `docker-buildx` the docker CLI would pick: the first one in its plugin directories,
 * whatever it is, as docker takes the first and does not look further when that one is broken.
 * Directories named only in config.json (`cliPluginsExtraDirs`) are not read: a plugin there is
 * found by asking the client instead.
 */
export function locateBuildxPlugin(
  env: NodeJS.ProcessEnv,
  systemDirs: readonly string[] = SYSTEM_PLUGIN_DIRS,
): BuildxPlugin | undefined {
  const dirs = [path.join(userDockerConfigDir(env), 'cli-plugins'), ...systemDirs];
  const found = dirs.map((dir) => path.join(dir, 'docker-buildx')).find(lexists);

  return found === undefined ? undefined : { path: found, usable: isExecutableFile(found) };
}
