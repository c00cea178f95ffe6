import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { Scope } from '../secrets/model.js';
import { NeedleMatcher } from './matcher.js';
import { buildNeedles, type LeakForm, secretForms } from './needles.js';

const SCOPE: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };
// C27: `@`, `:`, `/` and a non-ASCII letter, so every encoder has something to change.
const C27 = Buffer.from('p@ss:w0rd/é');

function formOf(text: string, value = C27, user?: string): LeakForm | undefined {
  return secretForms(value, user).find(({ bytes }) => bytes.equals(Buffer.from(text)))?.form;
}

describe('secretForms', () => {
  it.each([
    ['the value itself', 'p@ss:w0rd/é', 'exact'],
    ['encodeURIComponent', 'p%40ss%3Aw0rd%2F%C3%A9', 'url'],
    ['lower-case percent escapes', 'p%40ss%3aw0rd%2f%c3%a9', 'url'],
    ['JSON with \\u escapes (Python)', 'p@ss:w0rd/\\u00e9', 'json'],
    ['JSON with \\/ (PHP)', 'p@ss:w0rd\\/é', 'json'],
    ['hex', C27.toString('hex'), 'hex'],
    ['upper-case hex', C27.toString('hex').toUpperCase(), 'hex'],
    ['`printf %s "$P" | base64`', 'cEBzczp3MHJkL8Op', 'base64'],
    ['`echo "$P" | base64`', 'cEBzczp3MHJkL8OpCg==', 'base64'],
    ['base64url', Buffer.from(C27).toString('base64url'), 'base64'],
  ])('includes %s', (_, text, form) => {
    expect(formOf(text)).toBe(form);
  });

  it('includes UTF-16 in both byte orders, as Windows and .NET tools write text', () => {
    const little = Buffer.from(C27.toString(), 'utf16le');
    const find = (bytes: Buffer) => secretForms(C27).find((form) => form.bytes.equals(bytes))?.form;

    expect(find(little)).toBe('utf16');
    expect(find(Buffer.from(little).swap16())).toBe('utf16');
  });

  it('includes docker `auth` (base64 of user:password) for a registry secret', () => {
    const auth = Buffer.from(`ci:${C27.toString()}`).toString('base64');

    expect(formOf(auth, C27, 'ci')).toBe('base64-auth');
    expect(formOf(auth, C27)).toBeUndefined();
  });

  it('finds the value inside a larger base64 stream at every alignment, padded or not', () => {
    const matcher = new NeedleMatcher(secretForms(C27).map(({ bytes }) => bytes));

    for (let before = 0; before < 6; before++) {
      for (const after of [0, 1, 2, 5]) {
        const stream = Buffer.concat([randomBytes(before), C27, randomBytes(after)]);
        for (const encoded of [stream.toString('base64'), stream.toString('base64url')]) {
          expect(matcher.findAll(Buffer.from(encoded)).length, encoded).toBeGreaterThan(0);
        }
      }
    }
  });

  it('covers the trimmed content, which `$(cat file)` writes without the trailing newline', () => {
    const value = Buffer.from('ak_live_51f0c2\n');

    expect(formOf('ak_live_51f0c2', value)).toBe('exact');
    expect(formOf(Buffer.from('ak_live_51f0c2').toString('base64'), value)).toBe('base64');
  });

  it('keeps whole lines of wrapped base64 and hex, not the short last line', () => {
    const value = randomBytes(100);
    const forms = secretForms(value).map(({ bytes }) => bytes.toString());
    const wrapped = value.toString('base64');

    expect(forms).toContain(wrapped.slice(0, 76));
    expect(forms).toContain(wrapped.slice(0, 64));
    expect(forms).not.toContain(wrapped.slice(128));
    expect(forms).not.toContain(value.toString('hex').slice(180));
  });

  it('labels each byte string once, with its most direct form', () => {
    const forms = secretForms(Buffer.from('abcdef123456'));
    const texts = forms.map(({ bytes }) => bytes.toString('latin1'));

    expect(new Set(texts).size).toBe(texts.length);
    expect(formOf('abcdef123456', Buffer.from('abcdef123456'))).toBe('exact');
  });

  it('labels a credential quoted out of a file secret as a field', () => {
    const netrc = Buffer.from('machine git.example.com\n  login ci\n  password ghp_abcdef123456\n');

    expect(formOf('ghp_abcdef123456', netrc)).toBe('field');
    expect(formOf('git.example.com', netrc)).toBeUndefined();
  });

  it('gives the lines of a multi-line value, leaving out structure', () => {
    const key = Buffer.from(
      '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\n-----END KEY-----\n',
    );

    expect(formOf('MIIEvQIBADANBgkqhkiG9w0BAQEF', key)).toBe('line');
    expect(formOf('-----BEGIN KEY-----', key)).toBeUndefined();
  });
});

describe('buildNeedles', () => {
  it('skips values shorter than the minimum, reporting them by index', () => {
    const needles = buildNeedles([
      { name: 'region', scope: SCOPE, value: Buffer.from('eu') },
      { name: 'padded', scope: SCOPE, value: Buffer.from('12345\n') },
      { name: 'db_pass', scope: SCOPE, value: C27 },
    ]);

    expect(needles.skipped).toEqual([0, 1]);
    expect(needles.labels.flat().every(({ secret }) => secret === 2)).toBe(true);
  });

  it('keeps one needle for a value two secrets share, labelled with both', () => {
    const value = Buffer.from('shared-value-123');
    const needles = buildNeedles([
      { name: 'a', scope: SCOPE, value },
      { name: 'b', scope: SCOPE, value },
    ]);
    const exact = needles.patterns.findIndex((pattern) => pattern.equals(value));

    expect(needles.labels[exact]).toEqual([
      { secret: 0, form: 'exact' },
      { secret: 1, form: 'exact' },
    ]);
  });

  it('builds no needle shorter than the minimum', () => {
    const needles = buildNeedles([{ name: 'six', scope: SCOPE, value: Buffer.from('sixsix') }]);

    expect(Math.min(...needles.patterns.map((pattern) => pattern.length))).toBeGreaterThanOrEqual(
      6,
    );
  });
});
