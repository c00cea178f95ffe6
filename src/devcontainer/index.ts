// Public API of dev container support: find and read devcontainer.json, substitute variables,
// and plan the build.

export { toBuildxArgs } from './buildx-args.js';
export { CONFIG_ERROR_CODE } from './config-error.js';
export { findDevcontainerConfig } from './find-config.js';
export { parseDevcontainerJson, readDevcontainerJson, type DevcontainerJson } from './parse.js';
export type { DevcontainerPlan, DockerfilePlan, ImagePlan, UnsupportedPlan } from './plan.js';
export { resolveDevcontainer, type ResolveOptions } from './resolve.js';
export { substitute, type SubstitutionContext, type SubstitutionResult } from './substitute.js';
