// What an export's own JSON documents say about its layers: `docker save`'s manifest.json maps
// layer files to images, an image config lists its layers' digests (`rootfs.diff_ids`), an OCI
// manifest lists its layer blobs. These name and order the layers in a report.

import type { LayerNames } from './layer-names.js';
import type { FindingSource } from './types.js';

/** Records what the export's own documents say about its layers; tells a config apart. */
export function noteDocument(document: unknown, path: string, names: LayerNames): FindingSource {
  const { rootfs, layers } = fieldsOf(document);

  if (path === 'manifest.json' && Array.isArray(document)) {
    for (const { Config, Layers } of document.map(fieldsOf)) {
      if (typeof Config === 'string' && isStringArray(Layers)) {
        names.dockerManifest(Config, Layers);
      }
    }
  }
  if (Array.isArray(layers)) {
    const digests = layers.map((layer) => fieldsOf(layer).digest);
    if (isStringArray(digests)) names.ociManifest(digests);
  }
  if (rootfs === undefined) return 'metadata';

  const diffIds = fieldsOf(rootfs).diff_ids;
  if (isStringArray(diffIds)) names.imageConfig(path, diffIds);
  return 'config';
}

function fieldsOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The parsed document, or undefined when the bytes are not JSON. */
export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
