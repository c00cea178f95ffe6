// Finds the buildx plugin the way the docker CLI does on Linux, without running anything: the
// user's config directory first, then the system directories the CLI searches (docker/cli,
// cli-plugins/manager). Asking `docker buildx version` instead costs three program start-ups on
// every build, which was the largest single part of the wrapper's overhead on a cached build.

import path from 'node:path';

import { userDockerConfigDir } from '../materialize/docker-config.js';
import { isExecutableFile } from '../which.js';

export const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
] as const;

/**
 * The path of an executable `docker-buildx` in the docker CLI's plugin directories, or undefined.
 * Directories named only in config.json (`cliPluginsExtraDirs`) are not read: a plugin there is
 * found by asking the client instead.
 */
export function findBuildxPlugin(
  env: NodeJS.ProcessEnv,
  systemDirs: readonly string[] = SYSTEM_PLUGIN_DIRS,
): string | undefined {
  const dirs = [path.join(userDockerConfigDir(env), 'cli-plugins'), ...systemDirs];

  return dirs.map((dir) => path.join(dir, 'docker-buildx')).find(isExecutableFile);
}
