// For unit tests: the error `run` throws, which must be a `kind`; anything else fails the test,
// and so does nothing thrown. Lets a test assert an error's fields (code, exitCode, message).

export function thrownBy<T extends Error>(
  run: () => unknown,
  kind: abstract new (...args: never[]) => T,
): T {
  try {
    run();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected a ${kind.name}, nothing was thrown`);
}
