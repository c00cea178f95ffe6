// Node's system errors carry a string `code` (ENOENT, EEXIST, ...); this reads it without trusting
// the shape of whatever was thrown.

export function errorCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

// What the codes mean, in the words `ls` or `cat` would use, for the few a file can fail with.
const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EEXIST: 'it exists already',
  EISDIR: 'it is a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of the path is not a directory',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
};

/**
 * `no such file or directory (ENOENT)`: the code said in words, and the code itself for searching
 * and scripts; a code without words as it is; `unknown error` when there is none.
 */
export function describeErrno(error: unknown): string {
  const code = errorCode(error);
  if (code === undefined) return 'unknown error';
  const words = ERRNO_WORDS[code];
  return words === undefined ? code : `${words} (${code})`;
}
