import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import { buildMasks, type MaskSource } from './masks.js';
import { Redactor } from './redactor.js';

const source = (id: string, value: string | Buffer, registryUser?: string): MaskSource => ({
  id,
  value: Buffer.from(value),
  registryUser,
});

const redactorFor = (...sources: MaskSource[]) => new Redactor(buildMasks(sources));

// 64-character body lines with indentation, as in a key pasted into a YAML file.
const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  '  MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  '  MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  '  NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ',
  '  qgtzJ6GR3eqoYSW9b9UMvkBpZODSctWSNGj3P7jRFDO5VoTwCQAWbFnOjDfH5Ulg',
  '  p2PKSQnSJP3AJLQNFNe7br1XbrhV//eO+t51mIpGSDCUv3E0DDFcWDTH9cXDTTlR',
  '  ZVEiR2BwpZOOkE/Z0/BVnhZYL71oZV34bKfWjQIt6V/isSMahdsAASACp4ZTGtwi',
  '  VuNd9tybAgMBAAE=',
  '-----END PRIVATE KEY-----',
  '',
].join('\n');

const SERVICE_ACCOUNT_KEY = JSON.stringify(
  {
    type: 'service_account',
    project_id: 'acme-build-4711',
    private_key_id: '1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c',
    private_key: PEM.replaceAll('\n  ', '\n'),
    client_email: 'ci@acme-build-4711.iam.gserviceaccount.com',
    ports: [80, 443],
    n: 1,
  },
  null,
  2,
);

/** Prints a value the way `docker buildx build --progress=plain` shows a RUN step's output. */
const plainProgress = (text: string) =>
  text
    .split('\n')
    .map((line) => `#7 0.512 ${line}`)
    .join('\n');

describe('Redactor', () => {
  it('replaces each occurrence with ***', () => {
    const redactor = redactorFor(source('token', 'ghp_abcdef123456'));

    expect(redactor.redact('token=ghp_abcdef123456, again ghp_abcdef123456.')).toBe(
      'token=***, again ***.',
    );
  });

  it('masks the encodings of a stored value trimmed, as `$(cat file) | base64` prints them', () => {
    const redactor = redactorFor(source('npmrc', 'tok-5f2a9c1e7b\n\n'));
    const echoed = Buffer.from('tok-5f2a9c1e7b\n').toString('base64');
    const printed = Buffer.from('tok-5f2a9c1e7b').toString('hex');

    expect(redactor.redact(`step: ${echoed}`)).toBe('step: ***');
    expect(redactor.redact(`step: ${printed}`)).toBe('step: ***');
  });

  it('returns text without secrets unchanged', () => {
    const redactor = redactorFor(source('token', 'ghp_abcdef123456'));
    const data = Buffer.from('#5 0.123 nothing to see\n');

    expect(redactor.redact('#5 0.123 nothing to see')).toBe('#5 0.123 nothing to see');
    expect(redactor.redactBuffer(data)).toBe(data);
  });

  it('hides the union of overlapping matches', () => {
    const redactor = redactorFor(source('a', 'abcdefgh'), source('b', 'efghijkl'));

    expect(redactor.redact('[abcdefghijkl]')).toBe('[***]');
  });

  it('hides two secrets written next to each other', () => {
    const redactor = redactorFor(source('a', 'first-secret'), source('b', 'second-secret'));

    expect(redactor.redact('x first-secretsecond-secret y')).toBe('x *** y');
  });

  it('does not mask values too short to be masks', () => {
    const redactor = redactorFor(source('region', 'eu'), source('replicas', '1'));

    expect(redactor.redact('region eu-west-1, 1 replica')).toBe('region eu-west-1, 1 replica');
    expect(redactor.skipped).toEqual([
      { id: 'region', reason: 'too-short' },
      { id: 'replicas', reason: 'too-short' },
    ]);
  });

  it('masks values registered later with add, and reports the short ones', () => {
    const redactor = new Redactor();

    expect(redactor.redact('late-secret')).toBe('late-secret');
    expect(redactor.add([source('late', 'late-secret'), source('short', 'eu')])).toEqual([
      { id: 'short', reason: 'too-short' },
    ]);
    expect(redactor.redact('late-secret')).toBe('***');
    expect(redactor.maskCount).toBeGreaterThan(1);
  });

  it('masks every body line of an indented PEM value printed line by line', () => {
    const redactor = redactorFor(source('tls-key', PEM));
    const printed = plainProgress(PEM);
    const lines = redactor.redact(printed).split('\n');

    expect(lines[0]).toBe('#7 0.512 -----BEGIN PRIVATE KEY-----');
    expect(lines.slice(1, 8)).toEqual(Array(7).fill('#7 0.512   ***'));
    expect(lines[8]).toBe('#7 0.512 -----END PRIVATE KEY-----');
  });

  it('masks the long lines of a pretty-printed JSON key, not brackets or short lines', () => {
    const redactor = redactorFor(source('gcp-key', SERVICE_ACCOUNT_KEY));
    const redacted = redactor.redact(plainProgress(SERVICE_ACCOUNT_KEY)).split('\n');

    expect(redacted).toEqual([
      '#7 0.512 {',
      '#7 0.512   ***',
      '#7 0.512   ***',
      '#7 0.512   ***',
      '#7 0.512   ***',
      '#7 0.512   ***',
      '#7 0.512   ***',
      '#7 0.512     80,',
      '#7 0.512     443',
      '#7 0.512   ],',
      '#7 0.512   ***',
      '#7 0.512 }',
    ]);
  });

  it('masks the body of a PEM member printed alone from a JSON key, as `jq -r` does', () => {
    const redactor = redactorFor(source('gcp-key', SERVICE_ACCOUNT_KEY));
    const { private_key: pem } = JSON.parse(SERVICE_ACCOUNT_KEY) as { private_key: string };
    const lines = redactor.redact(plainProgress(pem)).split('\n');

    expect(lines[0]).toBe('#7 0.512 -----BEGIN PRIVATE KEY-----');
    expect(lines.slice(1, 8)).toEqual(Array(7).fill('#7 0.512 ***'));
    expect(lines[8]).toBe('#7 0.512 -----END PRIVATE KEY-----');
  });

  it('masks each line of a CRLF value, whatever line endings it is printed with', () => {
    const redactor = redactorFor(source('crlf', 'line-one-abc\r\nline-two-def\r\n'));

    expect(redactor.redact('> line-one-abc\r\n> line-two-def\r\n')).toBe('> ***\r\n> ***\r\n');
    expect(redactor.redact('> line-one-abc\n> line-two-def\n')).toBe('> ***\n> ***\n');
    expect(redactor.redact('line-one-abc\r\nline-two-def\r\n')).toBe('***\r\n***\r\n');
  });

  it('masks binary values in binary data', () => {
    // No line breaks in it: a masked value keeps those (see 'Redactor line breaks' below).
    const secret = Buffer.from(randomBytes(32).map((b) => (b === 0x0a || b === 0x0d ? 0 : b)));
    const redactor = redactorFor(source('blob', secret));
    const data = Buffer.concat([randomBytes(100), secret, randomBytes(100)]);
    const redacted = redactor.redactBuffer(data);

    expect(redacted.includes(secret)).toBe(false);
    expect(redacted.subarray(100, 103).toString()).toBe('***');
  });

  it('does not show masks when logged or serialised', () => {
    const redactor = redactorFor(source('token', 'ghp_abcdef123456'));

    expect(inspect(redactor)).toBe('Redactor {}');
    expect(inspect(redactor, { showHidden: true, depth: 9 })).not.toMatch(/ghp_|Buffer|Mask/);
    expect(JSON.stringify(redactor)).toBe('{}');
  });
});

// `cat /run/secrets/X; echo after-line` with --progress=plain: BuildKit prefixes each line, so a
// value's line breaks must survive for the next line (and its prefix) to stay a line of its own.
describe('Redactor.longestSecretLine', () => {
  it('is the longest line of any mask, encoded forms included', () => {
    const redactor = new Redactor();
    const value = Buffer.from(`-----BEGIN-----\n${'A'.repeat(64)}\n`);
    redactor.add([{ id: 'pem', value }]);

    // The value's own lines are 64 bytes at most. Its longest form is one line: the hex of the
    // value followed by the newline `echo` adds, two digits a byte.
    expect(redactor.longestSecretLine).toBe((value.length + 1) * 2);
    expect(new Redactor().longestSecretLine).toBe(0);
  });
});

describe('Redactor line breaks', () => {
  const VALUE = 'nl_terminated_value_31337';

  it.each([
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
    ['\\r', '\r'],
  ])('keeps the %s that ends a value, so the next line stays a line', (_name, ending) => {
    const redactor = redactorFor(source('nlv', `${VALUE}${ending}`));
    const printed = `#6 0.061 ${VALUE}${ending}#6 0.061 after-line\n`;

    expect(redactor.redact(printed)).toBe(`#6 0.061 ***${ending}#6 0.061 after-line\n`);
  });

  it('keeps the line break a value starts with, and the line before it', () => {
    const redactor = redactorFor(source('lead', `\r\n${VALUE}`));

    expect(redactor.redact(`#6 0.061 before\r\n${VALUE}\n`)).toBe('#6 0.061 before\r\n***\n');
  });

  it('still masks the value printed without its line break', () => {
    const redactor = redactorFor(source('nlv', `${VALUE}\n`));

    expect(redactor.redact(`echo ${VALUE} done`)).toBe('echo *** done');
    expect(redactor.redact(`token=${VALUE}`)).toBe('token=***');
  });

  it('shows a multi-line value printed whole as one *** per line', () => {
    const lines = ['line-one-of-three', 'line-two-of-three', 'line-three-of-three'];
    const redactor = redactorFor(source('multi', `${lines.join('\n')}\n`));

    expect(redactor.redact(`${lines.join('\n')}\nafter-line\n`)).toBe(
      '***\n***\n***\nafter-line\n',
    );
    expect(redactor.redact(`>${lines.join('\r\n')}\r\n<`)).toBe('>***\r\n***\r\n***\r\n<');
  });

  it('keeps blank lines inside a value as blank lines', () => {
    const redactor = redactorFor(source('gaps', 'first-block-abc\n\n\nsecond-block-def'));

    expect(redactor.redact('first-block-abc\n\n\nsecond-block-def!')).toBe('***\n\n\n***!');
  });

  it('keeps the line structure of a long value printed by `base64`, wrapped at 76 columns', () => {
    const value = randomBytes(120);
    const wrapped = `${value.toString('base64').replace(/.{76}/g, '$&\n')}\n`;
    const redactor = redactorFor(source('blob', value));

    expect(redactor.redact(`${wrapped}after-line\n`)).toBe('***\n***\n***\nafter-line\n');
  });

  it('keeps mixed line endings of a value written twice, the second right after text', () => {
    const value = 'alpha-line-1\r\nbeta-line-2\n\ngamma-line-3\n';
    const redactor = redactorFor(source('mixed', value));

    expect(redactor.redact(`a ${value}b${value}`)).toBe(
      'a ***\r\n***\n\n***\nb***\r\n***\n\n***\n',
    );
  });
});

describe('Redactor derived forms', () => {
  const value = 'p@ss:w0rd/é';
  const bytes = Buffer.from(value);
  const redactor = redactorFor(source('db', value), source('ghcr', value, 'ci'));

  it.each([
    ['printf %s | base64', bytes.toString('base64')],
    ['echo | base64', Buffer.from(`${value}\n`).toString('base64')],
    ['base64url', bytes.toString('base64url')],
    ['encodeURIComponent', encodeURIComponent(value)],
    ['lower-case percent escapes', 'p%40ss%3aw0rd%2f%c3%a9'],
    ['JSON.stringify', JSON.stringify(value).slice(1, -1)],
    ['JSON with \\u escapes', 'p@ss:w0rd/\\u00e9'],
    ['hex', bytes.toString('hex')],
    ['upper-case hex', bytes.toString('hex').toUpperCase()],
    ['docker auth', Buffer.from(`ci:${value}`).toString('base64')],
    ['echo ci:… | base64', Buffer.from(`ci:${value}\n`).toString('base64')],
  ])('masks the %s form', (_name, encoded) => {
    expect(redactor.redact(`#5 0.123 ${encoded}\n`)).toBe('#5 0.123 ***\n');
  });

  it.each([
    ['UTF-16LE', Buffer.from(value, 'utf16le')],
    ['UTF-16BE', Buffer.from(value, 'utf16le').swap16()],
  ])('masks the %s form (iconv -t utf-16le, .NET tools)', (_name, encoded) => {
    const output = Buffer.concat([Buffer.from('#5 0.123 '), encoded, Buffer.from('\n')]);

    expect(redactor.redactBuffer(output).toString()).toBe('#5 0.123 ***\n');
  });

  it('masks the value inside JSON and URLs', () => {
    expect(redactor.redact(JSON.stringify({ password: value }))).toBe('{"password":"***"}');
    expect(redactor.redact(`https://h/?p=${encodeURIComponent(value)}&x=1`)).toBe(
      'https://h/?p=***&x=1',
    );
  });

  it.each([0, 1, 2, 3, 4, 5])(
    'masks every character that only the value determines, %i bytes into a base64 stream',
    (offset) => {
      const before = Buffer.from('<~#>?.').subarray(0, offset);
      const encoded = Buffer.concat([before, bytes, Buffer.from('~~~~~')]).toString('base64');
      const first = Math.ceil((offset * 8) / 6);
      const end = Math.floor(((offset + bytes.length) * 8) / 6);

      expect(redactor.redact(encoded)).toBe(`${encoded.slice(0, first)}***${encoded.slice(end)}`);
    },
  );

  it('masks registry auth at every offset of a base64 stream', () => {
    const auth = Buffer.from(`ci:${value}`);

    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.from('<~#').subarray(0, offset), auth]).toString(
        'base64',
      );
      expect(redactor.redact(encoded)).toContain('***');
    }
  });
});

describe('Redactor.holdsSecret', () => {
  const value = 'canaryXYZZY-999999';
  const redactor = redactorFor(source('c', Buffer.from(value)));

  it.each([
    ['the value', `x ${value} y`],
    ['an encoded form', Buffer.from(value).toString('base64')],
    ['a beginning holding half of it and 12 bytes, at the end', 'tag:canaryXYZZY-'],
    ['its last half (12 bytes) anywhere', 'aXYZZY-999999b'],
  ])('finds %s', (_label, text) => {
    expect(redactor.holdsSecret(text)).toBe(true);
  });

  // Output cut short there would mask these (redact), but an argument ends where it ends.
  it.each([
    ['an argument ending in 9 bytes of its beginning', 'img:canaryXYZ'],
    ['one ending in 8 bytes that begin its last half', 'XYZZY-99'],
  ])('does not take %s for a copy', (_label, text) => {
    expect(redactor.redact(text)).not.toBe(text);
    expect(redactor.holdsSecret(text)).toBe(false);
  });
});
