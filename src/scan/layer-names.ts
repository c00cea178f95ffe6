// What the export's own documents say about its layers: their order in the image, and for
// `docker save` archives the digest of each `<id>/layer.tar`, so a report names layers the way
// `docker inspect` (RootFS.Layers) and registries do. The documents can come after the layers in
// the stream, so names are resolved only once the whole export has been read.

export class LayerNames {
  // docker save: config file -> the layer files manifest.json lists for it, in order.
  readonly #layerFiles = new Map<string, string[]>();
  // config file -> its rootfs.diff_ids.
  readonly #diffIds = new Map<string, string[]>();
  // Layer digests in image order, from configs and OCI manifests.
  readonly #order: string[] = [];

  dockerManifest(config: string, layerFiles: string[]): void {
    this.#layerFiles.set(config, layerFiles);
  }

  imageConfig(path: string, diffIds: string[]): void {
    this.#diffIds.set(path, diffIds);
    this.#order.push(...diffIds);
  }

  ociManifest(layerDigests: string[]): void {
    this.#order.push(...layerDigests);
  }

  /** The digest for a layer file of a `docker save` archive; anything else unchanged. */
  resolve(): { rename: (layer: string) => string; rank: (layer: string) => number } {
    const names = new Map<string, string>();
    for (const [config, files] of this.#layerFiles) {
      const diffIds = this.#diffIds.get(config) ?? [];
      files.forEach((file, index) => {
        if (diffIds[index] !== undefined && !names.has(file)) names.set(file, diffIds[index]);
      });
    }

    const rank = (layer: string) => {
      const index = this.#order.indexOf(layer);
      return index === -1 ? this.#order.length : index;
    };
    return { rename: (layer) => names.get(layer) ?? layer, rank };
  }
}
