import { describe, expect, it } from 'vitest';

import { NeedleMatcher } from './matcher.js';
import { exportName, hideNeedles, isWhiteout, layerPath } from './names.js';

describe('hideNeedles', () => {
  const patterns = ['hunter22', 'er22-x'].map((text) => Buffer.from(text));
  const matcher = new NeedleMatcher(patterns);

  it.each([
    ['/tmp/hunter22.txt', '/tmp/***.txt'],
    ['/tmp/hunter22-x', '/tmp/***'],
    ['a-hunter22-hunter22', 'a-***-***'],
    ['/plain/path', '/plain/path'],
  ])('shows %s as %s', (name, shown) => {
    expect(hideNeedles(name, matcher, patterns).text).toBe(shown);
  });
});

describe('layerPath', () => {
  it.each([
    ['etc/passwd', '/etc/passwd'],
    ['./etc/passwd', '/etc/passwd'],
    ['/etc/', '/etc'],
    ['./', '/'],
  ])('makes %s absolute: %s', (name, path) => {
    expect(layerPath(name)).toBe(path);
  });
});

describe('isWhiteout', () => {
  it.each([
    ['tmp/.wh.secret', true],
    ['.wh..wh..opq', true],
    ['tmp/a.wh.b', false],
  ])('%s: %s', (name, whiteout) => {
    expect(isWhiteout(name)).toBe(whiteout);
  });
});

describe('exportName', () => {
  it('names OCI blobs and docker configs by digest, anything else by its path', () => {
    expect(exportName(`blobs/sha256/${'a'.repeat(64)}`)).toBe(`sha256:${'a'.repeat(64)}`);
    expect(exportName(`${'b'.repeat(64)}.json`)).toBe(`sha256:${'b'.repeat(64)}`);
    expect(exportName('abc/layer.tar')).toBe('abc/layer.tar');
  });
});
