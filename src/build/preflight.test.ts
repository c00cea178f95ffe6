import { describe, expect, it } from 'vitest';

import { buildContextRegistries, describeArgument } from './preflight.js';

describe('buildContextRegistries', () => {
  it('names the registry each docker-image build context pulls from', () => {
    const args = [
      '--build-context',
      'base=docker-image://localhost:5000/private/base:1',
      '--build-context=tools=docker-image://alpine:3',
      '--build-context',
      'src=../src',
      '.',
    ];

    expect(buildContextRegistries(args)).toEqual(['localhost:5000', 'https://index.docker.io/v1/']);
  });

  it('reads nothing after --', () => {
    expect(buildContextRegistries(['--', '--build-context', 'a=docker-image://r.io/x'])).toEqual(
      [],
    );
  });
});

describe('describeArgument', () => {
  it.each([
    [['--network=none', '--label=note=S', '.'], 1, 'the value of --label'],
    [['--network=none', '--foo=S', '.'], 1, 'the value of --foo'],
    [['-t', 'S', '.'], 1, 'the value of -t'],
    [['--label', 'S', '.'], 1, 'the value of --label'],
    [['-q', 'S'], 1, 'argument 2'],
    [['-tS', '.'], 0, 'the value of -t'],
    [['-t=S', '.'], 0, 'the value of -t'],
    [['-qtS', '.'], 0, 'the value of -t'],
    [['S'], 0, 'argument 1'],
  ])('names %j at %i as %s, never showing it', (args, index, expected) => {
    expect(describeArgument(args, index)).toBe(expected);
  });
});
