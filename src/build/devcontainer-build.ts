// `ona-build devcontainer build`: reads the dev container configuration and builds it through the
// same pipeline as `ona-build build` (secrets, registry auth, redaction, cleanup). Image-based
// configurations are pulled through the engine API with the stored registry credential.

import { OnaBuildError } from '../errors.js';
import { resolveDevcontainer, toBuildxArgs, type ImagePlan } from '../devcontainer/index.js';
import type { DockerClient, RegistryAuth } from '../docker/docker-client.js';
import { maskSourcesOf } from '../secrets/mask-sources.js';
import type { Secret } from '../secrets/model.js';
import { registryOfImage } from '../secrets/registry-host.js';
import { resolveSecrets } from '../secrets/resolve.js';
import { describeScope } from '../secrets/validate.js';
import { runBuild, type BuildOptions } from './build.js';
import { warnNoSecrets } from './session.js';

export interface DevcontainerBuildOptions extends Omit<BuildOptions, 'passthrough'> {
  readonly workspaceFolder: string;
  readonly configFile?: string;
  /** buildx options given on the command line (`-t`, `--load`, ...), added before the context. */
  readonly buildxArgs: readonly string[];
  /** Loaded only for image-based configurations. */
  readonly docker?: string;
  readonly dockerClient: () => Promise<DockerClient>;
}

export async function runDevcontainerBuild(options: DevcontainerBuildOptions): Promise<number> {
  let plan;
  try {
    plan = resolveDevcontainer({
      workspaceFolder: options.workspaceFolder,
      configFile: options.configFile,
      env: options.env,
    });
  } catch (error) {
    // The error names the paths given, where a value may have been typed: masked first.
    await maskValues(options).catch(() => undefined);
    throw error;
  }
  if (plan.kind === 'unsupported') throw new OnaBuildError(plan.message, 'UNSUPPORTED', 2);

  for (const warning of plan.warnings) options.logger.warn(`${plan.configFile}: ${warning}`);
  if (plan.kind === 'image') {
    // Counted, not shown: the options are the user's text, which a value may have strayed into.
    const ignored = options.buildxArgs.length;
    if (ignored > 0) {
      options.logger.warn(
        `${plan.configFile} names an image, which is pulled, not built: the ${ignored} buildx ` +
          'option argument(s) given do not apply (tag it with docker tag after the pull)',
      );
    }
    return pullImage(plan, options);
  }

  // toBuildxArgs puts the context last; command-line options go just before it.
  const args = toBuildxArgs(plan);
  const passthrough = [...args.slice(0, -1), ...options.buildxArgs, ...args.slice(-1)];
  return runBuild({ ...options, passthrough });
}

/** The build's secrets, registered with the redactor before anything can print them. */
async function maskValues(options: DevcontainerBuildOptions): Promise<Secret[]> {
  const { secrets } = await resolveSecrets(options.source, options.principal, 'build');
  options.redactor.add(maskSourcesOf(secrets));
  return secrets;
}

async function pullImage(plan: ImagePlan, options: DevcontainerBuildOptions): Promise<number> {
  const secrets = await maskValues(options);
  if (secrets.length === 0) warnNoSecrets(options.principal, options.logger);
  const host = registryOfImage(plan.image);
  const credential = secrets.find((s) => s.type === 'registry' && s.registry?.host === host);

  const auth: RegistryAuth | undefined = credential && {
    username: credential.registry!.username,
    serveraddress: host,
    ...(credential.registry!.kind === 'identity'
      ? { identitytoken: credential.value.toString('utf8') }
      : { password: credential.value.toString('utf8') }),
  };

  const from = credential ? ` with ${credential.name} (${describeScope(credential.scope)})` : '';
  if (options.dryRun) {
    // The plan of an image configuration is its pull: say it, do not do it.
    const planned = { image: plan.image, registry: host, credential: credential?.name ?? null };
    options.stdout.write(`${JSON.stringify({ ...planned, pull: `would pull${from}` })}\n`);
    return 0;
  }
  options.logger.info(`pulling ${plan.image}${from}`);
  const digest = await (await options.dockerClient()).pull(plan.image, auth);
  options.stdout.write(`${JSON.stringify({ image: plan.image, digest: digest ?? null })}\n`);
  return 0;
}
