// Finds the builder to run: the buildx plugin when the docker client has it, else the docker
// client's classic built-in BuildKit client (`DOCKER_BUILDKIT=1 docker build`), which accepts
// the same `--secret` flags. With neither, a clear error saying what to install.

import { DockerUnavailableError } from '../errors.js';
import { spawnChecked } from '../exec.js';
import type { Redactor } from '../redact/index.js';
import { which } from '../which.js';
import { locateBuildxPlugin, type BuildxPlugin } from './buildx-plugin.js';

export type BuilderKind = 'buildx' | 'classic';

export interface Builder {
  readonly docker: string;
  readonly kind: BuilderKind;
  /** For buildx through the docker CLI: the plugin file it runs, to name when it fails. */
  readonly plugin?: BuildxPlugin;
}

export interface DetectOptions {
  readonly docker: string;
  /**
   * The builder's environment with the user's own DOCKER_CONFIG. The temporary config links the
   * same cli-plugins/, so the answer holds for it too, and the probe can run while secrets are
   * still being resolved.
   */
  readonly env: Record<string, string>;
  readonly guard: Redactor;
  /**
   * The client is the docker CLI itself, not one named by ONA_BUILD_DOCKER: the CLI's plugin
   * directories then say which buildx it would run, and name a broken one.
   */
  readonly dockerCli?: boolean;
  /**
   * With dockerCli, a usable buildx plugin file settles the question without running the client.
   * A plugin that is present but fails anyway fails the build with docker's own message, as it
   * would for the user, and a hint names the file.
   */
  readonly trustPluginFile?: boolean;
}

export async function detectBuilder(options: DetectOptions): Promise<Builder> {
  const { docker, env, guard } = options;

  const plugin = options.dockerCli ? locateBuildxPlugin(env) : undefined;
  if (options.trustPluginFile && plugin?.usable) {
    if (!which(docker, env)) throw missingClient(docker);
    return { docker, kind: 'buildx', plugin };
  }

  const buildx = await probe(docker, ['buildx', 'version'], env, guard);
  if (buildx.missingClient) throw missingClient(docker);
  if (buildx.ok) return { docker, kind: 'buildx', ...(plugin && { plugin }) };

  const classicEnv = { ...env, DOCKER_BUILDKIT: '1' };
  const classic = await probe(docker, ['build', '--help'], classicEnv, guard);
  if (classic.ok && classic.output.includes('--secret')) return { docker, kind: 'classic' };

  if (plugin) {
    const what = plugin.usable ? 'does not work' : 'is not an executable file';
    throw new DockerUnavailableError(
      `${docker} cannot run the buildx plugin ${plugin.path}, which ${what} and hides any ` +
        'other buildx: repair or remove it, or install buildx again',
    );
  }
  throw new DockerUnavailableError(
    `${docker} has neither the buildx plugin nor a built-in BuildKit client: install buildx ` +
      '(Debian: docker-buildx; Docker: docker-buildx-plugin)',
  );
}

function missingClient(docker: string): DockerUnavailableError {
  return new DockerUnavailableError(
    `docker client not found (${docker}): install docker, or set ONA_BUILD_DOCKER to its path`,
  );
}

/**
 * The docker client the caller named: an explicit option, else ONA_BUILD_DOCKER. An empty value
 * counts as unset, as a shell's `ONA_BUILD_DOCKER=` means.
 */
export function namedClient(env: NodeJS.ProcessEnv, explicit?: string): string | undefined {
  return explicit || env.ONA_BUILD_DOCKER || undefined;
}

/** The argv that runs a build of the given kind. */
export function builderArgv(builder: Builder, args: readonly string[]): string[] {
  const head = builder.kind === 'buildx' ? ['buildx', 'build'] : ['build'];
  return [builder.docker, ...head, ...args];
}

/** Extra environment a builder kind needs. */
export function builderKindEnv(builder: Builder): Record<string, string> {
  return builder.kind === 'classic' ? { DOCKER_BUILDKIT: '1' } : {};
}

interface ProbeResult {
  readonly ok: boolean;
  readonly missingClient: boolean;
  readonly output: string;
}

async function probe(
  docker: string,
  args: string[],
  env: Record<string, string>,
  guard: Redactor,
): Promise<ProbeResult> {
  const result = await spawnChecked(docker, args, { env, guard });
  const missingClient = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  const output = Buffer.concat([
    result.stdout ?? new Uint8Array(),
    result.stderr ?? new Uint8Array(),
  ]);
  return { ok: result.exitCode === 0, missingClient, output: output.toString('utf8') };
}
