// Whether anything is at a path, without following a symbolic link there: a dangling link counts,
// as it does for mkdir (EEXIST) and for the docker CLI looking for a plugin file.

import fs from 'node:fs';

export function lexists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
