import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  base64Alignments,
  base64Standalone,
  base64WrappedLines,
  encodingBases,
  hexEncodings,
  jsonEscapes,
  urlEncodings,
} from './encodings.js';

const value = Buffer.from('p@ss:w0rd/é');

describe('base64Alignments', () => {
  it.each(['base64', 'base64url'] as const)(
    'gives %s text found in any stream that contains the value, at every offset',
    (alphabet) => {
      const forms = base64Alignments(value, alphabet);

      for (let before = 0; before < 9; before++) {
        for (let after = 0; after < 4; after++) {
          const stream = Buffer.concat([randomBytes(before), value, randomBytes(after)]);
          const encoded = stream.toString(alphabet);
          expect(encoded).toContain(forms[before % 3]);
        }
      }
    },
  );

  it('drops the characters that also encode bits of the surrounding data', () => {
    // 11 bytes are 88 bits; at each offset 14 characters encode value bits only.
    const forms = base64Alignments(Buffer.from('hello world'), 'base64');

    expect(forms).toEqual(['aGVsbG8gd29ybG', 'hlbGxvIHdvcmxk', 'oZWxsbyB3b3JsZ']);
  });
});

describe('base64Standalone', () => {
  it('gives the padded encoding docker and `base64` print, and both base64url forms', () => {
    expect(base64Standalone(Buffer.from('ci:hunter22'))).toEqual([
      'Y2k6aHVudGVyMjI=',
      'Y2k6aHVudGVyMjI',
      'Y2k6aHVudGVyMjI=',
    ]);
  });
});

describe('base64WrappedLines', () => {
  it('splits long encodings the way `base64` (76) and `openssl base64` (64) wrap them', () => {
    const long = randomBytes(100);
    const encoded = long.toString('base64');
    const lines = base64WrappedLines(long);

    expect(lines).toContain(encoded.slice(0, 76));
    expect(lines).toContain(encoded.slice(76));
    expect(lines).toContain(encoded.slice(64, 128));
  });

  it('gives nothing for encodings that fit on one line', () => {
    expect(base64WrappedLines(value)).toEqual([]);
  });
});

describe('urlEncodings', () => {
  it('includes encodeURIComponent, lower-case escapes and `+` for spaces', () => {
    const spaced = Buffer.from("it's a p@ss/é");
    const forms = urlEncodings(spaced);

    expect(forms).toContain(encodeURIComponent(spaced.toString()));
    expect(forms).toContain("it's%20a%20p%40ss%2f%c3%a9");
    expect(forms).toContain("it's+a+p%40ss%2F%C3%A9");
    expect(forms).toContain(new URLSearchParams({ v: spaced.toString() }).toString().slice(2));
  });

  it('encodes bytes that are not UTF-8', () => {
    expect(urlEncodings(Buffer.from([0xff, 0x41, 0x00]))[0]).toBe('%FFA%00');
  });
});

describe('jsonEscapes', () => {
  it('gives the value as JSON.stringify, Python, Go and PHP write it inside a string', () => {
    const forms = jsonEscapes(Buffer.from('a"b\\c\n/é<'));

    expect(forms).toContain(JSON.stringify('a"b\\c\n/é<').slice(1, -1));
    expect(forms).toContain('a\\"b\\\\c\\n/\\u00e9<');
    expect(forms).toContain('a\\"b\\\\c\\n/é\\u003c');
    expect(forms).toContain('a\\"b\\\\c\\n\\/\\u00e9<');
  });

  it('gives nothing for bytes that are not UTF-8', () => {
    expect(jsonEscapes(Buffer.from([0xff, 0xfe, 0x41]))).toEqual([]);
  });
});

describe('hexEncodings', () => {
  it('gives lower- and upper-case hex', () => {
    expect(hexEncodings(Buffer.from([0xab, 0x01]))).toEqual(['ab01', 'AB01']);
  });

  it('gives the lines `xxd -p` wraps values over 30 bytes into', () => {
    const hex = Buffer.alloc(40, 0xab).toString('hex');

    expect(hexEncodings(Buffer.alloc(40, 0xab)).slice(2)).toEqual([
      hex.slice(0, 60),
      hex.slice(60),
    ]);
  });
});

describe('encodingBases', () => {
  it('gives the value, its trimmed content, and each with a newline, once each', () => {
    const bases = encodingBases(Buffer.from(' tok\n')).map(String);

    expect(bases).toEqual([' tok\n', 'tok', ' tok\n\n', 'tok\n']);
    expect(encodingBases(Buffer.from('tok')).map(String)).toEqual(['tok', 'tok\n']);
  });
});
