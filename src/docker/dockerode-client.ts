// DockerClient on dockerode. A pull's progress stream reports failures as `error`/`errorDetail`
// records rather than by failing the request, so each record is checked.

import type { Readable } from 'node:stream';

import Docker from 'dockerode';

import { DockerUnavailableError, OnaBuildError } from '../errors.js';
import type { DockerClient, RegistryAuth } from './docker-client.js';
import { engineOptions } from './engine-endpoint.js';

interface ProgressRecord {
  readonly error?: string;
  readonly errorDetail?: { message?: string };
}

export class DockerodeClient implements DockerClient {
  private readonly docker: Docker;

  constructor(docker = new Docker()) {
    this.docker = docker;
  }

  /** A client for the engine the docker CLI would use with `env` (see engine-endpoint.ts). */
  static forEnv(env: NodeJS.ProcessEnv): DockerodeClient {
    return new DockerodeClient(new Docker(engineOptions(env)));
  }

  async pull(image: string, auth?: RegistryAuth): Promise<string | undefined> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(image, auth ? { authconfig: auth } : {});
    } catch (error) {
      throw pullError(image, error);
    }

    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(pullError(image, error)) : resolve()),
        (record: ProgressRecord) => {
          const message = record.errorDetail?.message ?? record.error;
          if (message) reject(new OnaBuildError(`pulling ${image} failed: ${message}`, 'PULL'));
        },
      );
    });

    const inspected = await this.docker.getImage(image).inspect();
    return digestFor(image, inspected.RepoDigests ?? []);
  }

  async exportImage(image: string): Promise<Readable> {
    return (await this.docker.getImage(image).get()) as unknown as Readable;
  }
}

function pullError(image: string, error: unknown): OnaBuildError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES') {
    return new DockerUnavailableError(`cannot reach the Docker engine to pull ${image} (${code})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OnaBuildError(`pulling ${image} failed: ${message}`, 'PULL', 1, { cause: error });
}

/**
 * The repository digest of `image` among an image's digests: the same content can also be known
 * under other repositories, and the first digest listed may name one of those.
 */
export function digestFor(image: string, repoDigests: readonly string[]): string | undefined {
  const repository = normalized(repositoryOf(image));
  return repoDigests.find(
    (digest) => normalized(digest.slice(0, digest.lastIndexOf('@'))) === repository,
  );
}

/** Docker Hub names are written several ways: `docker.io/library/node` is `node`. */
function normalized(repository: string): string {
  return repository.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}

/** `host:5000/a/b:tag` → `host:5000/a/b`; `a/b@sha256:…` → `a/b`. A port is not a tag. */
function repositoryOf(image: string): string {
  const untagged = image.includes('@') ? image.slice(0, image.indexOf('@')) : image;
  const lastColon = untagged.lastIndexOf(':');
  return lastColon > untagged.lastIndexOf('/') ? untagged.slice(0, lastColon) : untagged;
}
