// Dockerfile pre-flight: what a build mounts and pulls, checked against what it will get.

export { analyzeDockerfile } from './analyze.js';
export type {
  AnalyzeOptions,
  DockerfileAnalysis,
  DockerfileWarning,
  RegistryRef,
  SecretMountRef,
} from './types.js';

export { checkSecretMounts, describeMissing } from './check.js';
export type { AvailableSecret, MissingSecret, SecretCheck } from './check.js';

export { checkBuildArgs, describeBuildArgProblem } from './build-args.js';
export type { BuildArgProblem, BuildArgSecret } from './build-args.js';
