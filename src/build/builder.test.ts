import { describe, expect, it } from 'vitest';

import { builderArgv, builderKindEnv, namedClient, type Builder } from './builder.js';

describe('builderArgv', () => {
  it.each<[Builder, string[], string[]]>([
    [{ docker: 'docker', kind: 'buildx' }, ['.'], ['docker', 'buildx', 'build', '.']],
    [{ docker: 'docker', kind: 'classic' }, ['.'], ['docker', 'build', '.']],
    [
      { docker: '/opt/docker/bin/docker', kind: 'buildx' },
      ['--secret', 'id=a,src=/x/0', '-t', 'app', '.'],
      ['/opt/docker/bin/docker', 'buildx', 'build', '--secret', 'id=a,src=/x/0', '-t', 'app', '.'],
    ],
    [{ docker: 'docker', kind: 'classic' }, [], ['docker', 'build']],
  ])('runs %o with %j as %j', (builder, args, expected) => {
    expect(builderArgv(builder, args)).toEqual(expected);
  });

  it('passes arguments with spaces and shell characters as single elements', () => {
    const arg = `GREETING=Hello & world; $(id) "quoted" 'single'`;

    expect(builderArgv({ docker: 'docker', kind: 'buildx' }, ['--build-arg', arg, '.'])).toEqual([
      'docker',
      'buildx',
      'build',
      '--build-arg',
      arg,
      '.',
    ]);
  });
});

describe('builderKindEnv', () => {
  it.each<[Builder['kind'], Record<string, string>]>([
    ['buildx', {}],
    ['classic', { DOCKER_BUILDKIT: '1' }],
  ])('gives %s the environment %o', (kind, expected) => {
    expect(builderKindEnv({ docker: 'docker', kind })).toEqual(expected);
  });
});

describe('namedClient', () => {
  it.each<[NodeJS.ProcessEnv, string | undefined, string | undefined]>([
    [{}, undefined, undefined],
    [{ ONA_BUILD_DOCKER: '' }, undefined, undefined],
    [{ ONA_BUILD_DOCKER: '/usr/bin/docker' }, undefined, '/usr/bin/docker'],
    [{ ONA_BUILD_DOCKER: '/usr/bin/docker' }, '/opt/docker', '/opt/docker'],
    [{ ONA_BUILD_DOCKER: '/usr/bin/docker' }, '', '/usr/bin/docker'],
  ])('with %o and option %j names %j', (env, explicit, expected) => {
    expect(namedClient(env, explicit)).toBe(expected);
  });
});
