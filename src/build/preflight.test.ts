import { describe, expect, it } from 'vitest';

import { buildContextRegistries } from './preflight.js';

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
