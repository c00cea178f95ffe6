// Finds the devcontainer.json to build. The dev container CLI looks only at the two well-known
// places (getWellKnownDevContainerPaths in src/spec-configuration/configurationCommonUtils.ts);
// VS Code also offers `.devcontainer/<name>/devcontainer.json`, taken here when it is the only one.

import { readdirSync } from 'node:fs';
import path from 'node:path';

import { UsageError } from '../errors.js';
import { configError } from './config-error.js';
import { isDirectory, isFile } from './files.js';

/**
 * `--config FILE` (relative to the current directory) wins. Otherwise, inside the workspace folder:
 * `.devcontainer/devcontainer.json`, then `.devcontainer.json`, then the only
 * `.devcontainer/<name>/devcontainer.json`. Returns an absolute path.
 */
export function findDevcontainerConfig(workspaceFolder: string, explicit?: string): string {
  if (explicit !== undefined) return explicitConfig(explicit);

  const workspace = path.resolve(workspaceFolder);
  if (!isDirectory(workspace)) {
    throw new UsageError(`workspace folder ${workspace} does not exist or is not a folder`);
  }

  const wellKnown = [
    path.join(workspace, '.devcontainer', 'devcontainer.json'),
    path.join(workspace, '.devcontainer.json'),
  ];
  const found = wellKnown.find(isFile);
  if (found !== undefined) return found;

  return onlyNamedConfig(workspace);
}

function explicitConfig(explicit: string): string {
  const file = path.resolve(explicit);
  if (!isFile(file)) throw new UsageError(`--config ${explicit}: no such file (${file})`);
  return file;
}

/** `.devcontainer/<name>/devcontainer.json`: fine when there is exactly one. */
function onlyNamedConfig(workspace: string): string {
  const folder = path.join(workspace, '.devcontainer');
  const named = entries(folder)
    .map((name) => path.join(folder, name, 'devcontainer.json'))
    .filter(isFile);

  if (named.length === 1) return named[0];

  if (named.length === 0) {
    throw configError(
      workspace,
      'no dev container configuration: looked for .devcontainer/devcontainer.json, ' +
        '.devcontainer.json and .devcontainer/<name>/devcontainer.json',
    );
  }

  const list = named.map((file) => `  --config ${displayPath(file)}`).join('\n');
  throw configError(
    workspace,
    `${named.length} dev container configurations; choose one with --config:\n${list}`,
  );
}

/** Sorted so the list in the error is stable; symlinked folders count like real ones. */
function entries(folder: string): string[] {
  return isDirectory(folder) ? readdirSync(folder).sort() : [];
}

/**
 * Relative to the current directory when inside it, since that is what --config expects; quoted
 * for a POSIX shell when needed, so the line can be pasted.
 */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  return /^[\w./@%+:-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", `'\\''`)}'`;
}
