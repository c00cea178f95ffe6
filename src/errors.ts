// One error hierarchy for the whole tool. Every error carries a stable `code` and the exit code the
// CLI uses for it. Messages name secrets by id and scope only, never by value.

export class OnaBuildError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(message: string, code: string, exitCode = 1, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad flags or arguments: exit 2, like most command-line tools. */
export class UsageError extends OnaBuildError {
  constructor(message: string, code = 'USAGE') {
    super(message, code, 2);
  }
}

/** A secret that is invalid, missing, too large or cannot be read. */
export class SecretError extends OnaBuildError {
  constructor(message: string, code = 'SECRET', options?: ErrorOptions) {
    super(message, code, 3, options);
  }
}

/** The store file or the master key is unusable: wrong key, tampered row, unreadable file. */
export class StoreError extends OnaBuildError {
  constructor(message: string, code = 'STORE', options?: ErrorOptions) {
    super(message, code, 4, options);
  }
}

/** Temporary files could not be placed safely (no tmpfs, unsafe directory, disk full). */
export class MaterializeError extends OnaBuildError {
  constructor(message: string, code = 'MATERIALIZE', options?: ErrorOptions) {
    super(message, code, 5, options);
  }
}

/** No usable docker client, engine or BuildKit builder. */
export class DockerUnavailableError extends OnaBuildError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'DOCKER_UNAVAILABLE', 6, options);
  }
}

/** The builder ran and failed; its own exit code is passed through. */
export class BuildFailedError extends OnaBuildError {
  constructor(message: string, builderExitCode: number, options?: ErrorOptions) {
    super(message, 'BUILD_FAILED', builderExitCode, options);
  }
}

/** The wrapper was interrupted by a signal; exit 128 + the signal number. */
export class InterruptedError extends OnaBuildError {
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals, exitCode: number) {
    super(`interrupted by ${signal}`, 'INTERRUPTED', exitCode);
    this.signal = signal;
  }
}

/** The leak scan found a secret (or an encoded form of it) in the built image. */
export class LeakFoundError extends OnaBuildError {
  constructor(message: string) {
    super(message, 'LEAK_FOUND', 8);
  }
}
