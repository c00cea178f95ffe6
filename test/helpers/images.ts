// Image inspection through the engine API (dockerode): export an image as a tar stream and look
// for byte strings in every layer and in the config, without writing the export to disk.

import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';

import Docker from 'dockerode';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import tar from 'tar-stream';

const docker = new Docker();

/** Indexes (into `needles`) of the byte strings found anywhere in the image. */
export async function imageContains(image: string, needles: readonly Buffer[]): Promise<number[]> {
  const found = new Set<number>();
  const exported = (await docker.getImage(image).get()) as unknown as Readable;
  await searchTar(exported, needles, found);
  return [...found].sort();
}

export async function imageExists(image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

export async function removeImage(image: string): Promise<void> {
  try {
    await docker.getImage(image).remove({ force: true });
  } catch {
    // Already gone, or never built.
  }
}

/** Walks a tar stream; nested layer tars (plain or gzip) are walked too. */
async function searchTar(stream: Readable, needles: readonly Buffer[], found: Set<number>) {
  const extract = tar.extract();
  stream.pipe(extract);
  for await (const entry of extract) {
    const data = await collect(entry);
    const isTar = entry.header.name.endsWith('.tar') || entry.header.name.endsWith('/layer.tar');
    const isGzip = data[0] === 0x1f && data[1] === 0x8b;
    if (isTar || isGzip) {
      const inner = Readable.from([data]);
      await searchTar(isGzip ? inner.pipe(createGunzip()) : inner, needles, found);
      continue;
    }
    needles.forEach((needle, index) => data.includes(needle) && found.add(index));
  }
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A pull policy that never pulls: these images only ever exist in the local engine. */
export const NEVER_PULL = { shouldPull: () => false };

/** Fails clearly when an image is not in the local engine, instead of letting anything pull it. */
export async function assertLocalImage(image: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
  } catch {
    throw new Error(`image ${image} is not in the local engine (the build did not produce it)`);
  }
}

/**
 * Runs `body` with a throwaway container of a locally built image (testcontainers, no network,
 * never pulled), stopped afterwards whatever happens.
 */
export async function withLocalContainer<T>(
  image: string,
  body: (container: StartedTestContainer) => Promise<T>,
): Promise<T> {
  await assertLocalImage(image);
  const container = await new GenericContainer(image)
    .withPullPolicy(NEVER_PULL)
    .withNetworkMode('none')
    .withCommand(['sleep', '60'])
    .start();
  try {
    return await body(container);
  } finally {
    await container.stop({ timeout: 1 });
  }
}
