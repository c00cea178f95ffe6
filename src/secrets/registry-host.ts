// Registry hosts as the docker client keys them in config.json. Docker Hub is special: the client
// looks up its credentials under `https://index.docker.io/v1/`, whatever spelling an image uses.

export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

const HUB_SPELLINGS = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'https://index.docker.io/v1/',
  'https://index.docker.io/v1',
  'https://index.docker.io',
  'https://docker.io',
]);

/**
 * Normalises a registry host as typed by a user (`docker.io`, `https://ghcr.io/`,
 * `localhost:5000`) to the key the docker client uses in config.json `auths`.
 * `registry.hub.docker.com` is deliberately not folded into Docker Hub: the client treats it as
 * a different host.
 */
export function normalizeRegistryHost(input: string): string {
  const trimmed = input.trim().toLowerCase();
  if (HUB_SPELLINGS.has(trimmed)) return DOCKER_HUB_KEY;

  const withoutScheme = trimmed.replace(/^https?:\/\//, '');
  const host = withoutScheme.replace(/\/.*$/, '');
  if (HUB_SPELLINGS.has(host)) return DOCKER_HUB_KEY;
  return host;
}

/** True for hosts that look valid enough to put in a docker config: `name[:port]`. */
export function isValidRegistryHost(host: string): boolean {
  if (host === DOCKER_HUB_KEY) return true;
  const match = /^(\[[0-9a-f:]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:([0-9]{1,5}))?$/.exec(host);
  // A port is 1 to 65535: localhost:99999 names no registry any client can reach.
  const port = match?.[4] === undefined ? undefined : Number(match[4]);
  return match !== null && (port === undefined || (port >= 1 && port <= 65_535));
}

/**
 * The registry an image reference is pulled from, as a config.json key. Follows the docker
 * reference grammar: the first path component is a registry only if it contains `.` or `:` or is
 * `localhost`; otherwise the image lives on Docker Hub.
 */
export function registryOfImage(reference: string): string {
  const slash = reference.indexOf('/');
  if (slash === -1) return DOCKER_HUB_KEY;

  const first = reference.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  return isHost ? normalizeRegistryHost(first) : DOCKER_HUB_KEY;
}
