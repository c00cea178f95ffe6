// The engine the docker CLI would talk to, as dockerode options: the build runs through the docker
// CLI, so a scan of what it built, or a pull for it, must reach the same engine. dockerode alone
// reads only DOCKER_HOST and would use the default socket under another docker context.
//
// Order, as the CLI has it: DOCKER_HOST; else the context named by DOCKER_CONTEXT, else by
// config.json's `currentContext`; else the default socket. A context's endpoint is read from the
// CLI's context store: meta/<sha256 of the name>/meta.json, TLS files under tls/<same>/docker/.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { DockerOptions } from 'dockerode';

import { DockerUnavailableError } from '../errors.js';
import { userDockerConfigDir } from '../materialize/docker-config.js';

interface ContextMeta {
  readonly Endpoints?: { readonly docker?: { readonly Host?: string } };
}

/** Options for `new Dockerode()`; undefined for dockerode's own default (DOCKER_HOST or socket). */
export function engineOptions(env: NodeJS.ProcessEnv): DockerOptions | undefined {
  if (env.DOCKER_HOST) return undefined;

  const configDir = userDockerConfigDir(env);
  const name = env.DOCKER_CONTEXT || currentContext(configDir);
  if (!name || name === 'default') return undefined;

  const id = createHash('sha256').update(name).digest('hex');
  const host = readMeta(configDir, id, name).Endpoints?.docker?.Host;
  if (!host) throw contextError(name, 'has no docker endpoint');
  return endpointOptions(host, path.join(configDir, 'contexts', 'tls', id, 'docker'), name);
}

function currentContext(configDir: string): string | undefined {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as {
      currentContext?: unknown;
    };
    return typeof config.currentContext === 'string' ? config.currentContext : undefined;
  } catch {
    return undefined;
  }
}

function readMeta(configDir: string, id: string, name: string): ContextMeta {
  const file = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ContextMeta;
  } catch {
    throw contextError(name, `is not in ${path.join(configDir, 'contexts')}`);
  }
}

function endpointOptions(host: string, tlsDir: string, name: string): DockerOptions {
  const url = new URL(host);

  switch (url.protocol) {
    case 'unix:':
      return { socketPath: decodeURIComponent(url.pathname) };
    case 'tcp:': {
      const tls = readTls(tlsDir);
      return {
        host: url.hostname,
        port: url.port || (tls ? 2376 : 2375),
        protocol: tls ? 'https' : 'http',
        ...tls,
      };
    }
    case 'ssh:':
      return {
        protocol: 'ssh',
        host: url.hostname,
        port: url.port || 22,
        username: decodeURIComponent(url.username) || undefined,
      };
    default:
      throw contextError(name, `has an endpoint ona-build cannot reach (${url.protocol})`);
  }
}

function readTls(dir: string): { ca?: Buffer; cert?: Buffer; key?: Buffer } | undefined {
  const read = (file: string) => {
    try {
      return fs.readFileSync(path.join(dir, file));
    } catch {
      return undefined;
    }
  };
  const files = { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
  return files.ca || files.cert || files.key ? files : undefined;
}

function contextError(name: string, problem: string): DockerUnavailableError {
  return new DockerUnavailableError(
    `the docker context ${name} ${problem}: choose another with DOCKER_CONTEXT or ` +
      '`docker context use`, or set DOCKER_HOST',
  );
}
