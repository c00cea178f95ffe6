// What the integration tests need from the machine: a Docker engine with BuildKit, the buildx
// plugin and the loopback registry that demands authentication (scripts/setup-engine.sh).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const REGISTRY_CREDENTIALS = '/var/lib/ona-build-registry/test-credentials.json';
export const BASE_IMAGE = 'localhost:5000/base/busybox:1';
export const PRIVATE_IMAGE = 'localhost:5000/private/base:1';

export interface RegistryCredentials {
  readonly host: string;
  readonly username: string;
  readonly password: string;
}

export function registryCredentials(): RegistryCredentials {
  return JSON.parse(fs.readFileSync(REGISTRY_CREDENTIALS, 'utf8')) as RegistryCredentials;
}

/** Why the engine cannot be used, or undefined when it can. */
export function engineProblem(): string | undefined {
  try {
    execFileSync('docker', ['buildx', 'version'], { stdio: 'ignore', timeout: 20_000 });
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    return 'no Docker engine with buildx (run scripts/setup-engine.sh)';
  }
  if (!fs.existsSync(REGISTRY_CREDENTIALS))
    return 'no loopback registry (run scripts/setup-engine.sh)';
  return undefined;
}

/**
 * Integration suites run when the engine is there. In CI a missing engine is a failure, not a
 * skip, so a broken setup can never pass as "no tests to run".
 */
export function requireEngine(): boolean {
  const problem = engineProblem();
  if (problem && process.env.CI) throw new Error(`integration tests need the engine: ${problem}`);
  if (problem) console.warn(`skipping integration tests: ${problem}`);
  return problem === undefined;
}
