// Registries a Dockerfile pulls from that look like one the store has a credential for, but that
// the docker client keys apart, so the credential is not used for the pull. The one seen in the
// wild: `registry.hub.docker.com/library/node` is Docker Hub to a person, and another host to the
// client, which then pulls anonymously (and gets rate limited) while a Hub credential is stored.

import type { RegistryRef } from '../dockerfile/types.js';
import type { Secret } from '../secrets/model.js';
import { DOCKER_HUB_KEY } from '../secrets/registry-host.js';

const HUB_LOOKALIKES = new Set(['registry.hub.docker.com', 'hub.docker.com']);

/** One warning per look-alike host pulled from, naming its first line and the unused secret. */
export function lookalikeRegistryWarnings(
  registries: readonly RegistryRef[],
  secrets: readonly Secret[],
): string[] {
  const hosts = new Set(secrets.flatMap((s) => (s.registry ? [s.registry.host] : [])));
  const hub = secrets.find((s) => s.registry?.host === DOCKER_HUB_KEY);
  if (hub === undefined) return [];

  const warned = new Set<string>();
  const warnings: string[] = [];
  for (const ref of registries) {
    if (!HUB_LOOKALIKES.has(ref.host) || hosts.has(ref.host) || warned.has(ref.host)) continue;
    warned.add(ref.host);
    const where = ref.line > 0 ? `line ${ref.line}` : 'BUILDKIT_SYNTAX';
    warnings.push(
      `${where} pulls from ${ref.host}, which the docker client does not treat as Docker Hub: ` +
        `the Docker Hub credential (secret ${hub.name}) is not used for it, so the pull is ` +
        `anonymous; write the image as docker.io/..., or store a credential for ${ref.host}`,
    );
  }
  return warnings;
}

/** A credential helper the user's config names that is not installed (see docker-config.ts). */
export interface DroppedHelper {
  readonly helper: string;
  /** The registry it served, or `*` for `credsStore`, which serves every registry. */
  readonly registry: string;
}

export interface HelperNotice {
  readonly level: 'warn' | 'info' | 'debug';
  readonly message: string;
}

/**
 * What to say about helpers left out of the build's config because they are not installed. One
 * the user set for a registry the build pulls from, with no stored credential for it, is worth a
 * warning: that pull goes without the credentials the user meant it to have. A missing
 * `credsStore` is only a notice there (public images need no credentials), and a helper for a
 * registry the build does not use a debug line. Where the registries are not knowable, a helper
 * set for one registry is a notice, a missing `credsStore` a debug line.
 */
export function missingHelperNotices(
  dropped: readonly DroppedHelper[],
  pulledFrom: readonly string[] | undefined,
  managed: readonly string[],
): HelperNotice[] {
  const unmanaged = (pulledFrom ?? []).filter((host) => !managed.includes(host));
  return dropped.map(({ helper, registry }) => {
    const binary = `docker-credential-${helper}`;
    // Not knowable (exec's commands, a Dockerfile with an image from a variable): a helper set
    // for one registry is worth a notice, as that registry is then pulled from anonymously.
    if (pulledFrom === undefined && registry !== '*' && !managed.includes(registry)) {
      return {
        level: 'info',
        message:
          `${binary} (your docker config's credHelpers for ${registry}) is not installed: ` +
          `pulls from ${registry} go without the credentials it would give`,
      };
    }
    const hosts = registry === '*' ? unmanaged : unmanaged.filter((host) => host === registry);
    if (hosts.length === 0) {
      return {
        level: 'debug',
        message: `credential helper ${binary} (for ${registry}) is not installed`,
      };
    }
    const setting = registry === '*' ? 'credsStore' : `credHelpers for ${registry}`;
    return {
      level: registry === '*' ? 'info' : 'warn',
      message:
        `${binary} (your docker config's ${setting}) is not installed: the build pulls from ` +
        `${hosts.join(', ')} without the credentials it would give; install it, or store a ` +
        `registry secret for ${hosts.length === 1 ? 'that registry' : 'those registries'}`,
    };
  });
}
