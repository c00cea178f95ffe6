// The temporary Docker config directory a build runs with. It keeps the user's setup working:
// every entry of the user's config dir except config.json (cli-plugins/, contexts/, buildx/ ...)
// is linked in, and config.json is the user's with these changes:
// - `auths` gains inline credentials for the registries ona-build manages (they win);
// - `credsStore` is removed, so managed registries are not looked up in a store;
//   registries that store knows are kept as `credHelpers` entries when its binary is installed;
// - `credHelpers` entries whose binary is missing are dropped, so they cannot break pulls they
//   have nothing to do with; entries for managed registries are dropped so ours win.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeFileExclusive } from './run-dir.js';
import type { Secret } from '../secrets/model.js';

export interface DockerConfigOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Looks up `docker-credential-<name>` on PATH. */
  readonly helperExists: (name: string) => boolean;
  /** Lists the servers a credsStore knows (`docker-credential-<name> list`). */
  readonly listHelperServers: (name: string) => Promise<string[]>;
}

export interface DockerConfigResult {
  readonly dir: string;
  /** Registries with inline credentials from secrets. */
  readonly managed: string[];
  /** Helpers left out because their binary is not installed, with the registry they served. */
  readonly droppedHelpers: { helper: string; registry: string }[];
}

interface AuthEntry {
  auth?: string;
  identitytoken?: string;
}

type DockerConfigJson = Record<string, unknown> & {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
};

/** The user's docker config dir, as the docker client finds it. */
export function userDockerConfigDir(env: NodeJS.ProcessEnv): string {
  // Absolute, as docker resolves a relative DOCKER_CONFIG against the current directory: links
  // made to it from the temporary config must not dangle.
  if (env.DOCKER_CONFIG) return path.resolve(env.DOCKER_CONFIG);
  return path.join(env.HOME || os.homedir(), '.docker');
}

/** The config.json `auths` entry for one registry secret. */
export function authEntry(secret: Secret): AuthEntry {
  const registry = secret.registry!;
  if (registry.kind === 'identity') {
    const dummy = Buffer.from(`${registry.username}:`).toString('base64');
    return { auth: dummy, identitytoken: secret.value.toString('utf8') };
  }
  const userPass = Buffer.concat([Buffer.from(`${registry.username}:`), secret.value]);
  return { auth: userPass.toString('base64') };
}

export async function writeDockerConfig(
  runDir: string,
  registrySecrets: readonly Secret[],
  options: DockerConfigOptions,
): Promise<DockerConfigResult> {
  const userDir = userDockerConfigDir(options.env);
  const dir = path.join(runDir, 'docker-config');
  fs.mkdirSync(dir, { mode: 0o700 });

  linkUserEntries(userDir, dir);

  const user = readUserConfig(userDir);
  const { config, droppedHelpers } = await mergeConfig(user, registrySecrets, options);
  writeFileExclusive(path.join(dir, 'config.json'), Buffer.from(JSON.stringify(config, null, 2)));

  const managed = Object.keys(config.auths ?? {}).filter((host) =>
    registrySecrets.some((s) => s.registry?.host === host),
  );
  return { dir, managed, droppedHelpers };
}

/** Pure merge of the user's config with managed credentials; exported for unit tests. */
export async function mergeConfig(
  user: DockerConfigJson,
  registrySecrets: readonly Secret[],
  options: Pick<DockerConfigOptions, 'helperExists' | 'listHelperServers'>,
): Promise<{ config: DockerConfigJson; droppedHelpers: { helper: string; registry: string }[] }> {
  const { credsStore, credHelpers = {}, auths = {}, ...rest } = user;
  const managed = new Set(registrySecrets.map((s) => s.registry!.host));
  const droppedHelpers: { helper: string; registry: string }[] = [];
  const helpers: Record<string, string> = {};

  if (credsStore) {
    if (!options.helperExists(credsStore))
      droppedHelpers.push({ helper: credsStore, registry: '*' });
    else
      for (const server of await options.listHelperServers(credsStore))
        helpers[server] = credsStore;
  }

  for (const [registry, helper] of Object.entries(credHelpers)) {
    if (options.helperExists(helper)) helpers[registry] = helper;
    else droppedHelpers.push({ helper, registry });
  }

  for (const registry of Object.keys(helpers)) {
    if (managed.has(registry)) delete helpers[registry];
  }

  const mergedAuths: Record<string, AuthEntry> = { ...auths };
  for (const secret of registrySecrets) mergedAuths[secret.registry!.host] = authEntry(secret);

  const config: DockerConfigJson = { ...rest, auths: mergedAuths };
  if (Object.keys(helpers).length > 0) config.credHelpers = helpers;
  return { config, droppedHelpers };
}

function readUserConfig(userDir: string): DockerConfigJson {
  const file = path.join(userDir, 'config.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }

  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as DockerConfigJson) : {};
  } catch {
    // The docker client itself would refuse this file; building with our credentials only is
    // closer to what the user wants than failing.
    return {};
  }
}

/** Links every entry of the user's config dir except config.json into the temporary one. */
function linkUserEntries(userDir: string, dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(userDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === 'config.json' || name.startsWith('config.json.')) continue;
    fs.symlinkSync(path.join(userDir, name), path.join(dir, name));
  }
}
