import { describe, expect, it } from 'vitest';

import { buildMasks, mergeMaskSets, MIN_MASK_LENGTH, type MaskSource } from './masks.js';

const source = (id: string, value: string, registryUser?: string): MaskSource => ({
  id,
  value: Buffer.from(value),
  registryUser,
});

const texts = (masks: Buffer[]) => masks.map((mask) => mask.toString());

describe('buildMasks', () => {
  it('skips values shorter than the minimum and reports them by id', () => {
    const set = buildMasks([source('region', 'eu'), source('replicas', '1')]);

    expect(set.masks).toEqual([]);
    expect(set.skipped).toEqual([
      { id: 'region', reason: 'too-short' },
      { id: 'replicas', reason: 'too-short' },
    ]);
  });

  it('uses a six-byte minimum by default', () => {
    expect(MIN_MASK_LENGTH).toBe(6);
    expect(buildMasks([source('a', '12345')]).skipped).toHaveLength(1);
    expect(texts(buildMasks([source('a', '123456')]).masks)).toContain('123456');
  });

  it('reports a value whose content is too short once surrounding whitespace is removed', () => {
    const set = buildMasks([source('padded', 'abcd\r\n')]);

    expect(set.skipped).toEqual([{ id: 'padded', reason: 'too-short' }]);
    expect(texts(set.masks)).toContain('abcd\r\n');
  });

  it('reports no empty value as too short: it shows nothing', () => {
    expect(buildMasks([source('none', ''), source('blank', ' \n')]).skipped).toEqual([]);
  });

  it("keeps no line break at a mask's ends: the output keeps them as they are", () => {
    const sources = [
      source('breaks', '\r\n\r\n\n\n'),
      source('ended', 'value-1\n\n'),
      source('started', '\r\n-----BEGIN KEY-----\nbGluZS1vbmU=\n'),
    ];
    const set = buildMasks(sources);
    const ends = /^[\r\n]|[\r\n]$/;

    expect(texts(set.masks).filter((mask) => ends.test(mask))).toEqual([]);
    expect(texts(set.tails).filter((tail) => ends.test(tail))).toEqual([]);
    expect(texts(set.masks)).toContain('value-1');
    expect(texts(set.masks)).toContain('-----BEGIN KEY-----\nbGluZS1vbmU=');
  });

  it('returns masks deduplicated and longest first', () => {
    const { masks } = buildMasks([source('a', 'secret-one'), source('b', 'secret-one')]);

    expect(new Set(texts(masks)).size).toBe(masks.length);
    expect(masks.map((mask) => mask.length)).toEqual(
      masks.map((mask) => mask.length).sort((a, b) => b - a),
    );
  });

  it('keeps no mask shorter than the minimum', () => {
    const { masks } = buildMasks([source('a', 'abcdef', 'u')], { minLength: 9 });

    expect(masks.every((mask) => mask.length >= 9)).toBe(true);
    expect(texts(masks)).not.toContain('abcdef');
  });

  it('honours a lower minimum', () => {
    expect(texts(buildMasks([source('region', 'eu')], { minLength: 2 }).masks)).toContain('eu');
  });

  it('rejects a minimum below one byte', () => {
    expect(() => buildMasks([], { minLength: 0 })).toThrow(RangeError);
  });

  it('masks the trimmed value and each meaningful line of a multi-line value', () => {
    const value = '-----BEGIN KEY-----\n  bGluZS1vbmU=\n  bGluZS10d28=\n-----END KEY-----\n';
    const masks = texts(buildMasks([source('key', value)]).masks);

    expect(masks).toEqual(expect.arrayContaining([value.trimEnd(), 'bGluZS1vbmU=']));
    expect(masks).not.toContain('-----BEGIN KEY-----');
  });

  it('masks a credential quoted on its own out of a file secret', () => {
    const npmrc =
      '//localhost:4873/:_authToken=npm_Tok3nValue123\nregistry=http://localhost:4873/\n';
    const masks = texts(buildMasks([source('npmrc', npmrc)]).masks);

    expect(masks).toContain('npm_Tok3nValue123');
    expect(masks).not.toContain('http://localhost:4873/');
  });

  it('adds base64 of user:password for registry secrets', () => {
    const masks = texts(buildMasks([source('ghcr', 'hunter22', 'ci')]).masks);

    expect(masks).toContain(Buffer.from('ci:hunter22').toString('base64'));
    expect(masks).toContain(Buffer.from('ci:hunter22\n').toString('base64'));
  });

  it('copies values, so later changes to the caller buffer do not change the masks', () => {
    const value = Buffer.from('secret-value');
    const { masks } = buildMasks([{ id: 'a', value }]);

    value.fill(0);
    expect(texts(masks)).toContain('secret-value');
  });
});

describe('mergeMaskSets', () => {
  it('unites masks and skipped entries', () => {
    const merged = mergeMaskSets(
      buildMasks([source('a', 'first-secret'), source('s', 'eu')]),
      buildMasks([source('b', 'second-secret'), source('a', 'first-secret')]),
    );

    expect(texts(merged.masks)).toEqual(expect.arrayContaining(['first-secret', 'second-secret']));
    expect(new Set(texts(merged.masks)).size).toBe(merged.masks.length);
    expect(merged.skipped).toEqual([{ id: 's', reason: 'too-short' }]);
  });
});
