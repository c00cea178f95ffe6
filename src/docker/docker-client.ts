// The seam between ona-build and the engine API. Pure code depends on this small interface; the
// dockerode implementation is loaded only by the commands that talk to the engine directly.

import type { Readable } from 'node:stream';

export interface RegistryAuth {
  readonly username: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly serveraddress: string;
}

export interface DockerClient {
  /** Pulls an image and resolves to its repo digest (`name@sha256:...`) when the engine has one. */
  pull(image: string, auth?: RegistryAuth): Promise<string | undefined>;
  /** The image as a `docker save` tar stream. */
  exportImage(image: string): Promise<Readable>;
}
