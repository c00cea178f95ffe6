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
