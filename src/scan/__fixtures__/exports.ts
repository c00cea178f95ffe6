// Image exports built in memory for the scanner's unit tests: layer tars, `docker save` archives
// and OCI layouts, made with tar-stream's pack exactly as the engine and buildx lay them out.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import tar, { type Header } from 'tar-stream';

export interface TarFile {
  readonly name: string;
  readonly content?: Buffer | string;
  readonly type?: Header['type'];
  readonly linkname?: string;
  readonly pax?: Record<string, string>;
}

export async function makeTar(files: readonly TarFile[]): Promise<Buffer> {
  const pack = tar.pack();
  const done = collect(pack);

  for (const file of files) {
    const content = Buffer.from(file.content ?? '');
    const header = {
      name: file.name,
      type: file.type ?? 'file',
      size: file.type === undefined || file.type === 'file' ? content.length : 0,
      ...(file.linkname !== undefined && { linkname: file.linkname }),
      ...(file.pax !== undefined && { pax: file.pax }),
    };
    await new Promise<void>((resolve, reject) =>
      pack.entry(header, content, (error) => (error ? reject(error) : resolve())),
    );
  }
  pack.finalize();
  return done;
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface ImageParts {
  readonly layers: Buffer[];
  /** Merged into a config with `rootfs.diff_ids` of the layers. */
  readonly config?: Record<string, unknown>;
}

/** What `docker save` of dockerd 20.10 writes: `<id>/layer.tar`, `<digest>.json`, manifest.json. */
export async function dockerArchive(parts: ImageParts): Promise<Buffer> {
  const config = imageConfig(parts);
  const configName = `${sha256(config).slice(7)}.json`;
  const layerNames = parts.layers.map((layer, index) => `${index}${sha256(layer).slice(8, 20)}`);
  const manifest = [{ Config: configName, RepoTags: ['test:1'], Layers: [] as string[] }];

  const files: TarFile[] = [];
  parts.layers.forEach((layer, index) => {
    const dir = layerNames[index];
    manifest[0].Layers.push(`${dir}/layer.tar`);
    files.push({ name: `${dir}/`, type: 'directory' });
    files.push({ name: `${dir}/VERSION`, content: '1.0' });
    files.push({ name: `${dir}/layer.tar`, content: layer });
  });
  files.push({ name: configName, content: config });
  files.push({ name: 'manifest.json', content: JSON.stringify(manifest) });
  return makeTar(files);
}

/** What `buildx --output type=oci` writes: gzip layers and JSON documents as digest-named blobs. */
export async function ociLayout(parts: ImageParts): Promise<Buffer> {
  const config = imageConfig(parts);
  const layers = parts.layers.map((layer) => gzipSync(layer));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: descriptor('application/vnd.oci.image.config.v1+json', config),
    layers: layers.map((layer) => descriptor('application/vnd.oci.image.layer.v1.tar+gzip', layer)),
  });
  const index = JSON.stringify({
    schemaVersion: 2,
    manifests: [descriptor('application/vnd.oci.image.manifest.v1+json', manifest)],
  });

  const blobs = [...layers, Buffer.from(config), Buffer.from(manifest)].map((blob) => ({
    name: `blobs/sha256/${sha256(blob).slice(7)}`,
    content: blob,
  }));
  return makeTar([
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', content: index },
    ...blobs,
  ]);
}

/** `data` as a stream of `size`-byte chunks. */
export function chunked(data: Buffer, size = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) chunks.push(data.subarray(at, at + size));
  return Readable.from(chunks);
}

function imageConfig(parts: ImageParts): string {
  return JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/bin'] },
    history: [],
    ...parts.config,
    rootfs: { type: 'layers', diff_ids: parts.layers.map((layer) => sha256(layer)) },
  });
}

function descriptor(mediaType: string, blob: Buffer | string) {
  return { mediaType, digest: sha256(blob), size: Buffer.byteLength(blob) };
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
