import { describe, expect, it } from 'vitest';

import { UsageError } from '../errors.js';
import { progressMode, refuseUnredactableProgress } from './progress.js';

describe('progressMode', () => {
  it.each([
    [['--progress', 'plain', '.'], 'plain'],
    [['--progress=tty', '.'], 'tty'],
    [['--progress=plain', '--progress', 'quiet', '.'], 'quiet'],
    [['.', '--', '--progress=tty'], undefined],
    [['.'], undefined],
  ])('reads %j as %j', (args, expected) => {
    expect(progressMode(args)).toBe(expected);
  });
});

describe('refuseUnredactableProgress', () => {
  it.each([
    [['--progress=rawjson', '.'], {}],
    [['--progress', 'rawjson', '.'], {}],
    [['.'], { BUILDKIT_PROGRESS: 'rawjson' }],
    [['.'], { BUILDKIT_PROGRESS: 'RAWJSON' }],
  ])('refuses rawjson progress from %j and %o', (args, env) => {
    expect(() => refuseUnredactableProgress(args, env)).toThrow(UsageError);
    expect(() => refuseUnredactableProgress(args, env)).toThrow('rawjson progress cannot be');
  });

  it.each([
    [['--progress=plain', '.'], { BUILDKIT_PROGRESS: 'rawjson' }],
    [['.'], { BUILDKIT_PROGRESS: 'plain' }],
    [['--progress=tty', '.'], {}],
  ])('lets %j with %o through', (args, env) => {
    expect(() => refuseUnredactableProgress(args, env)).not.toThrow();
  });
});
