// Node's system errors carry a string `code` (ENOENT, EEXIST, ...); this reads it without trusting
// the shape of whatever was thrown.

export function errorCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
