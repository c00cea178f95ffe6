import { describe, expect, it } from 'vitest';

import { buildOutputs, type BuildOutput, pushes, writesToStdout } from './build-outputs.js';

describe('buildOutputs', () => {
  it.each<[string[], BuildOutput[]]>([
    [['.'], []],
    [['-o', 'type=local,dest=out', '.'], [{ type: 'local', dest: 'out', attrs: {} }]],
    [['--output=out', '.'], [{ type: 'local', dest: 'out', attrs: {} }]],
    [['-o', '-', '.'], [{ type: 'tar', dest: '-', attrs: {} }]],
    [['-o=-', '.'], [{ type: 'tar', dest: '-', attrs: {} }]],
    [['-qo', '-', '.'], [{ type: 'tar', dest: '-', attrs: {} }]],
    [['-qo=-', '.'], [{ type: 'tar', dest: '-', attrs: {} }]],
    [['-qotype=tar', '.'], [{ type: 'tar', attrs: {} }]],
    [['-qo', 'out', '.'], [{ type: 'local', dest: 'out', attrs: {} }]],
    [['-o', 'Type=tar, dest=a.tar', '.'], [{ type: 'tar', dest: 'a.tar', attrs: {} }]],
    [['-o', '"type=local","dest=a,b"', '.'], [{ type: 'local', dest: 'a,b', attrs: {} }]],
    [
      ['-o', 'type=registry,name=r/x', '.'],
      [{ type: 'image', attrs: { push: 'true', name: 'r/x' } }],
    ],
    [['-o', 'type=registry,push=false', '.'], [{ type: 'image', attrs: { push: 'false' } }]],
    [
      ['-o', 'type=oci,dest=o.tar,tar=true', '--output', 'type=docker', '.'],
      [
        { type: 'oci', dest: 'o.tar', attrs: { tar: 'true' } },
        { type: 'docker', attrs: {} },
      ],
    ],
  ])('reads %j as buildx does', (args, outputs) => {
    expect(buildOutputs(args)).toEqual(outputs);
  });

  it('adds the outputs --load and --push stand for, once', () => {
    expect(buildOutputs(['--load', '.'])).toEqual([{ type: 'docker', attrs: {} }]);
    expect(buildOutputs(['--load', '-o', 'type=docker', '.'])).toEqual([
      { type: 'docker', attrs: {} },
    ]);
    expect(buildOutputs(['--push', '-o', 'type=local,dest=out', '.'])).toEqual([
      { type: 'local', dest: 'out', attrs: {} },
      { type: 'image', attrs: { push: 'true' } },
    ]);
    expect(buildOutputs(['--load=false', '.'])).toEqual([]);
  });

  it.each([
    [['-o', 'type=local,dest', '.']],
    [['-o', 'type=,dest=x', '.']],
    [['-o', 'type="local",dest=x', '.']],
    [['-o', '', '.']],
    [['-o=', '.']],
  ])('leaves out what buildx refuses: %j', (args) => {
    expect(buildOutputs(args)).toEqual([]);
  });

  it('reads a bare value as a local directory, as buildx does, even one like a field', () => {
    expect(buildOutputs(['-o', 'dest=out', '.'])).toEqual([
      { type: 'local', dest: 'dest=out', attrs: {} },
    ]);
  });

  it('stops at --', () => {
    expect(buildOutputs(['.', '--', '-o', 'type=local,dest=out'])).toEqual([]);
  });
});

describe('writesToStdout', () => {
  it.each<[string, boolean]>([
    ['-', true],
    ['type=tar,dest=-', true],
    ['type=local,dest=-', true],
    ['type=tar', true],
    ['type=oci,dest=', true],
    ['type=docker', false],
    ['type=tar,dest=out.tar', false],
    ['type=local,dest=out', false],
  ])('%s: %s', (value, expected) => {
    expect(buildOutputs(['-o', value, '.']).map(writesToStdout)).toEqual([expected]);
  });
});

describe('pushes', () => {
  it.each<[string, boolean]>([
    ['type=registry', true],
    ['type=image,push=1', true],
    ['type=image,push=false', false],
    ['type=image', false],
    ['type=docker,push=true', false],
  ])('%s: %s', (value, expected) => {
    expect(buildOutputs(['-o', value, '.']).map(pushes)).toEqual([expected]);
  });
});
