// The builder gets an explicit, minimal environment: what the docker client and buildx need to
// find the engine, the builder, proxies and the terminal, and nothing else. A caller's stray
// `NPM_TOKEN=...` never reaches the build, and DOCKER_CONFIG points at the temporary config.

const EXACT = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'TZ',
  'TERM',
  'COLORTERM',
  'NO_COLOR',
  'FORCE_COLOR',
  'TMPDIR',
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'SSH_AUTH_SOCK',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  // The docker client's own settings; not every DOCKER_*: a caller's DOCKER_PASSWORD has no
  // business in the build, where a bare `--build-arg DOCKER_PASSWORD` would pick it up.
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_TLS',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
  'DOCKER_API_VERSION',
  'DOCKER_BUILDKIT',
  'DOCKER_DEFAULT_PLATFORM',
  'DOCKER_CLI_EXPERIMENTAL',
  'DOCKER_CLI_HINTS',
  'DOCKER_CLI_PLUGIN_EXTRA_DIRS',
  // Reproducible builds: buildx stamps this time into the image.
  'SOURCE_DATE_EPOCH',
]);

const PREFIXES = ['BUILDX_', 'BUILDKIT_', 'LC_'];

/**
 * `requested` names variables the user's own options read from the environment (a bare
 * `--build-arg NAME`, `--secret id=x,env=NAME`): those were asked for, so they pass. The
 * pre-flight has already refused any that carries a stored secret's value.
 */
export function builderEnv(
  parent: NodeJS.ProcessEnv,
  overrides: Record<string, string>,
  requested: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};

  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    const allowed = EXACT.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix));
    if (allowed || requested.includes(name)) env[name] = value;
  }
  return { ...env, ...overrides };
}
