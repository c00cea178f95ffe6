// Default locations of the embedded store and its key file, following the XDG base directories.

import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME || path.join(env.HOME || os.homedir(), '.local', 'share');
  return path.join(base, 'ona-build');
}

export function defaultStorePath(env: NodeJS.ProcessEnv): string {
  return env.ONA_BUILD_STORE || path.join(defaultDataDir(env), 'store.db');
}

export function defaultKeyFile(env: NodeJS.ProcessEnv): string {
  return env.ONA_BUILD_KEY_FILE || path.join(defaultDataDir(env), 'master.key');
}
