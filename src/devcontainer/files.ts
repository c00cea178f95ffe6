// Existence checks that follow symlinks. A missing path, or one running through a file
// (`Dockerfile/devcontainer.json`), is simply absent; other failures such as EACCES still throw.

import { statSync, type Stats } from 'node:fs';

export function isFile(file: string): boolean {
  return stat(file)?.isFile() ?? false;
}

export function isDirectory(folder: string): boolean {
  return stat(folder)?.isDirectory() ?? false;
}

function stat(target: string): Stats | undefined {
  try {
    return statSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
