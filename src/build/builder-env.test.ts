import { describe, expect, it } from 'vitest';

import { builderEnv } from './builder-env.js';

describe('builderEnv', () => {
  it.each([
    'PATH',
    'HOME',
    'USER',
    'LANG',
    'TERM',
    'NO_COLOR',
    'SSH_AUTH_SOCK',
    'HTTPS_PROXY',
    'https_proxy',
    'no_proxy',
    'XDG_RUNTIME_DIR',
    'DOCKER_HOST',
    'DOCKER_CONTEXT',
    'BUILDX_BUILDER',
    'BUILDKIT_PROGRESS',
    'LC_ALL',
  ])('passes the allowlisted %s', (name) => {
    expect(builderEnv({ [name]: 'v' }, {})).toEqual({ [name]: 'v' });
  });

  it.each([
    'NPM_TOKEN',
    'npm_token',
    'GITHUB_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'LD_PRELOAD',
    'NODE_OPTIONS',
    'ONA_BUILD_KEY_FILE',
    'Path',
    'docker_host',
    'MY_DOCKER_HOST',
    'DOCKER_PASSWORD',
    'DOCKER_AUTH_CONFIG',
  ])('drops %s', (name) => {
    expect(builderEnv({ [name]: 'v' }, {})).toEqual({});
  });

  it("keeps a caller's NPM_TOKEN=from-shell out of the builder's environment", () => {
    const env = builderEnv({ PATH: '/usr/bin', NPM_TOKEN: 'from-shell' }, {});

    expect(env).toEqual({ PATH: '/usr/bin' });
    expect(Object.values(env)).not.toContain('from-shell');
  });

  it("replaces the caller's DOCKER_CONFIG with the temporary one", () => {
    const env = builderEnv(
      { HOME: '/home/ana', DOCKER_CONFIG: '/home/ana/.docker' },
      { DOCKER_CONFIG: '/dev/shm/ona-build-1-x/docker-config' },
    );

    expect(env).toEqual({
      HOME: '/home/ana',
      DOCKER_CONFIG: '/dev/shm/ona-build-1-x/docker-config',
    });
  });

  it('adds overrides the caller does not have', () => {
    expect(builderEnv({}, { DOCKER_BUILDKIT: '1' })).toEqual({ DOCKER_BUILDKIT: '1' });
  });

  it('skips undefined entries', () => {
    expect(builderEnv({ PATH: undefined, HOME: '/h' }, {})).toEqual({ HOME: '/h' });
  });

  it('does not modify the parent environment', () => {
    const parent = { PATH: '/usr/bin', DOCKER_CONFIG: '/a' };

    builderEnv(parent, { DOCKER_CONFIG: '/b' });

    expect(parent).toEqual({ PATH: '/usr/bin', DOCKER_CONFIG: '/a' });
  });
});
