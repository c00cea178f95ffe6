import { describe, expect, it } from 'vitest';

import { isStructural, maskableLines } from './lines.js';

const texts = (lines: Buffer[]) => lines.map((line) => line.toString());

describe('isStructural', () => {
  it.each([
    ['{', true],
    ['},', true],
    ['  ]);', true],
    ['-----BEGIN PRIVATE KEY-----', true],
    ['-----END RSA PRIVATE KEY-----', true],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', true],
    ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', false],
    ['"type": "service_account",', false],
    ['-----BEGIN PRIVATE KEY-----MIIEvQ', false],
    ['!@#$%^é', false],
  ])('says %j is structural: %s', (line, expected) => {
    expect(isStructural(Buffer.from(line))).toBe(expected);
  });
});

describe('maskableLines', () => {
  it('trims each line and keeps those long enough', () => {
    const value = Buffer.from('  first-line  \n\tsecond-line\nabc\n\n  last-line');

    expect(texts(maskableLines(value, 6))).toEqual(['first-line', 'second-line', 'last-line']);
  });

  it('strips the carriage return of CRLF lines', () => {
    expect(texts(maskableLines(Buffer.from('line-one\r\nline-two\r\n'), 6))).toEqual([
      'line-one',
      'line-two',
    ]);
  });

  it('leaves PEM armour and bracket lines out', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----\n';

    expect(texts(maskableLines(Buffer.from(pem), 6))).toEqual(['MIIEvQIBADANBgkq']);
    expect(texts(maskableLines(Buffer.from('{\n  "key": "value"\n}\n'), 6))).toEqual([
      '"key": "value"',
    ]);
  });
});
