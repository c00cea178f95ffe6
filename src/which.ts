// Finds an executable as a shell would: a name with a slash is taken as a path, any other name is
// looked up in PATH. One lookup for every program ona-build runs by name.

import fs from 'node:fs';
import path from 'node:path';

export function which(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = name.includes('/')
    ? [path.resolve(name)]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, name));

  return candidates.find(isExecutableFile);
}

/** A regular file (or a link to one) this process may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
