import { describe, expect, it } from 'vitest';

import { readBuildArgs } from './build-args.js';

describe('readBuildArgs', () => {
  it.each([
    [['--build-arg', 'A=1', '.'], { A: '1' }],
    [['--build-arg=A=1=2', '.'], { A: '1=2' }],
    [['--build-arg', 'EMPTY=', '.'], { EMPTY: '' }],
    [['--build-arg', 'FROM_ENV', '.'], {}],
    [['-t', '--build-arg', '.'], {}],
    [['--build-arg', 'G=Hello & world; $(id)', '-f', 'x', '.'], { G: 'Hello & world; $(id)' }],
  ])('reads %j', (args, expected) => {
    expect(readBuildArgs(args).buildArgs).toEqual(expected);
  });

  it('reads --target in both spellings', () => {
    expect(readBuildArgs(['--target', 'dev', '.']).target).toBe('dev');
    expect(readBuildArgs(['--target=prod', '.']).target).toBe('prod');
  });

  it('lists the variables bare build arguments read, and not those of --secret flags', () => {
    const args = ['--build-arg', 'FROM_ENV', '--secret', 'id=t,env=GITHUB_TOKEN', '.'];

    expect(readBuildArgs(args).fromEnv).toEqual(['FROM_ENV']);
  });

  it('stops at --', () => {
    expect(readBuildArgs(['--', '--build-arg', 'A=1']).buildArgs).toEqual({});
  });
});
