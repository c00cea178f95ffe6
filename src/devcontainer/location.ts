// Where the Dockerfile and the build context are. Relative paths are relative to the folder
// holding devcontainer.json, never to the current directory; absolute ones (often made with
// ${localWorkspaceFolder}) are kept.
//
// Both the nested `build.dockerfile`/`build.context` and the legacy top-level `dockerFile` and
// `context` are read; the nested key wins. Upstream instead lets a top-level `dockerFile` decide
// which pair is read (getDockerfile and getDockerContextPath, see
// https://github.com/devcontainers/cli/blob/48455c9545ee98344c456a83d4a2147a02aacef2/src/spec-configuration/configuration.ts
// and src/spec-node/utils.ts), so each case where that picks differently gets a warning.

import path from 'node:path';

import { configError } from './config-error.js';
import { has, optionalString } from './fields.js';
import { isDirectory, isFile } from './files.js';

export interface BuildLocation {
  readonly dockerfile: string;
  readonly context: string;
  readonly warnings: string[];
}

export function locateBuild(
  config: Record<string, unknown>,
  build: Record<string, unknown>,
  file: string,
): BuildLocation {
  const folder = path.dirname(file);
  const warnings: string[] = [];

  const dockerfileName = pickDockerfile(config, build, file, warnings);
  const dockerfile = path.resolve(folder, dockerfileName);
  if (!isFile(dockerfile)) {
    throw configError(file, `Dockerfile ${dockerfile} (from "${dockerfileName}") does not exist`);
  }

  const contextName = pickContext(config, build, file, warnings);
  const context = contextName ? path.resolve(folder, contextName) : path.dirname(dockerfile);
  if (!contextName && context !== folder) warnings.push(defaultContextNote(context));
  if (!isDirectory(context)) {
    throw configError(file, `build context ${context} does not exist or is not a folder`);
  }

  return { dockerfile, context, warnings };
}

function pickDockerfile(
  config: Record<string, unknown>,
  build: Record<string, unknown>,
  file: string,
  warnings: string[],
): string {
  const nested = optionalString({
    object: build,
    key: 'dockerfile',
    label: 'build.dockerfile',
    file,
  });
  const legacy = optionalString({ object: config, key: 'dockerFile', label: 'dockerFile', file });
  if (nested !== undefined && legacy !== undefined) {
    warnings.push(
      'build.dockerfile and dockerFile are both set; ona-build uses build.dockerfile, ' +
        'the dev container CLI dockerFile',
    );
  }

  const name = nested ?? legacy;
  if (!name) throw configError(file, 'build.dockerfile must name a Dockerfile');
  return name;
}

/** An empty context counts as unset, as upstream's `if (context)` does. */
function pickContext(
  config: Record<string, unknown>,
  build: Record<string, unknown>,
  file: string,
  warnings: string[],
): string | undefined {
  const nested = optionalString({ object: build, key: 'context', label: 'build.context', file });
  const legacy = optionalString({ object: config, key: 'context', label: 'context', file });
  const upstreamReadsLegacy = has(config, 'dockerFile');

  if (nested && legacy) {
    const upstream = upstreamReadsLegacy ? ', the dev container CLI context' : '';
    warnings.push(
      `build.context and context are both set; ona-build uses build.context${upstream}`,
    );
  } else if (nested && upstreamReadsLegacy) {
    warnings.push(
      'ona-build uses build.context; the dev container CLI ignores it when the top-level ' +
        "dockerFile is set, and builds from the Dockerfile's folder",
    );
  } else if (legacy && !upstreamReadsLegacy) {
    warnings.push(
      'ona-build uses the top-level context; the dev container CLI ignores it unless the ' +
        "top-level dockerFile is set, and builds from the Dockerfile's folder",
    );
  }

  return nested || legacy || undefined;
}

// Upstream defaults to the Dockerfile's folder (getDockerContextPath), while the spec documents
// "." (the folder of devcontainer.json). They agree when the two files sit side by side.
function defaultContextNote(context: string): string {
  return (
    `no build context set; using the Dockerfile's folder ${context} as the dev container CLI ` +
    'does (the dev container spec documents the folder of devcontainer.json instead)'
  );
}
