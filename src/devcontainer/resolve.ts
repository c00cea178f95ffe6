// Turns the workspace's devcontainer.json into a build plan: which file, what kind of dev
// container, and for a Dockerfile one everything `docker buildx build` needs.

import path from 'node:path';

import { readBuildSettings } from './build-settings.js';
import { configError } from './config-error.js';
import { has, optionalObject } from './fields.js';
import { findDevcontainerConfig } from './find-config.js';
import { locateBuild } from './location.js';
import { isObject, readDevcontainerJson, type DevcontainerJson } from './parse.js';
import type { DevcontainerPlan, DockerfilePlan, ImagePlan, UnsupportedPlan } from './plan.js';
import { substitute, type SubstitutionContext } from './substitute.js';

export interface ResolveOptions {
  readonly workspaceFolder: string;
  /** `--config`, relative to the current directory. */
  readonly configFile?: string;
  /** The caller's environment, for `${localEnv:NAME}`. */
  readonly env: NodeJS.ProcessEnv;
}

const EXEC_HINT = 'run the dev container CLI through `ona-build exec -- devcontainer build ...`';

/**
 * Decides the kind the way upstream's build command does: a Dockerfile wins over Docker Compose,
 * which wins over an image. Only the properties a plan uses are substituted, so a variable used
 * elsewhere (say in postCreateCommand) can neither fail nor warn about this build.
 */
export function resolveDevcontainer(options: ResolveOptions): DevcontainerPlan {
  const configFile = findDevcontainerConfig(options.workspaceFolder, options.configFile);
  const config = readDevcontainerJson(configFile);
  const context: SubstitutionContext = {
    localWorkspaceFolder: path.resolve(options.workspaceFolder),
    env: options.env,
    configFile,
  };

  if (isDockerfileConfig(config, configFile)) {
    return unsupportedFeatures(config, configFile) ?? dockerfilePlan(config, context);
  }
  if (has(config, 'dockerComposeFile')) return unsupportedCompose(configFile);
  if (has(config, 'image')) {
    return unsupportedFeatures(config, configFile) ?? imagePlan(config, context);
  }
  throw configError(configFile, 'needs one of image, build.dockerfile or dockerComposeFile');
}

function isDockerfileConfig(config: DevcontainerJson, file: string): boolean {
  const build = optionalObject({ object: config, key: 'build', label: 'build', file });
  return has(config, 'dockerFile') || has(build, 'dockerfile');
}

function dockerfilePlan(config: DevcontainerJson, context: SubstitutionContext): DockerfilePlan {
  const file = context.configFile;
  const used = pick(config, ['build', 'dockerFile', 'context']);
  const { value, warnings } = substitute(used, context);

  const build = optionalObject({ object: value, key: 'build', label: 'build', file });
  const location = locateBuild(value, build, file);

  return {
    kind: 'dockerfile',
    configFile: file,
    dockerfile: location.dockerfile,
    context: location.context,
    ...readBuildSettings(build, file),
    warnings: [...warnings, ...location.warnings],
  };
}

function imagePlan(config: DevcontainerJson, context: SubstitutionContext): ImagePlan {
  const { value, warnings } = substitute(config.image, context);
  if (typeof value !== 'string' || value === '') {
    throw configError(context.configFile, 'image must name an image');
  }
  return { kind: 'image', configFile: context.configFile, image: value, warnings };
}

function unsupportedCompose(configFile: string): UnsupportedPlan {
  const message =
    `${configFile} uses Docker Compose (dockerComposeFile), which ona-build devcontainer build ` +
    `does not support; ${EXEC_HINT} instead`;
  return { kind: 'unsupported', configFile, reason: 'compose', message };
}

/** Features are installed by the dev container CLI's own build steps, which this does not run. */
function unsupportedFeatures(
  config: DevcontainerJson,
  configFile: string,
): UnsupportedPlan | undefined {
  const names = featureNames(config, configFile);
  if (names.length === 0) return undefined;

  const message =
    `${configFile} installs dev container features (${names.join(', ')}), which ona-build ` +
    `devcontainer build does not support; ${EXEC_HINT} instead`;
  return { kind: 'unsupported', configFile, reason: 'features', message };
}

/** Features are an object keyed by feature id; `{}` and null mean none. */
function featureNames(config: DevcontainerJson, file: string): string[] {
  const features = has(config, 'features') ? config.features : null;
  if (features === null) return [];
  if (isObject(features)) return Object.keys(features);
  throw configError(file, 'features must be an object');
}

function pick(config: DevcontainerJson, keys: string[]): DevcontainerJson {
  return Object.fromEntries(
    keys.filter((key) => has(config, key)).map((key) => [key, config[key]]),
  );
}
