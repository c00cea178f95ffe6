import { describe, expect, it } from 'vitest';

import { credentialFields, isCredentialKey } from './credential-fields.js';

const fields = (text: string, minLength = 6) =>
  credentialFields(Buffer.from(text), minLength).map((field) => field.toString());

describe('credentialFields', () => {
  it('takes the token of an .npmrc auth line, not its registry settings', () => {
    const npmrc = [
      '//localhost:4873/:_authToken=npm_Tok3nValue123',
      'registry=http://localhost:4873/',
      'always-auth=true',
      '',
    ].join('\n');

    expect(fields(npmrc)).toEqual(['npm_Tok3nValue123']);
  });

  it('takes .netrc passwords, on one line or across lines', () => {
    expect(fields('machine git.example.com login ci password ghp_abcdef123456\n')).toEqual([
      'ghp_abcdef123456',
    ]);
    expect(fields('machine h\n  login ci\n  password hunter2hunter2\n')).toEqual([
      'hunter2hunter2',
    ]);
  });

  it('takes dotenv, ini and YAML credential values, unquoted', () => {
    const text = [
      '# DB_PASSWORD=commented-out-value',
      'export GITHUB_TOKEN="ghp_quoted_value"',
      "DB_PASSWORD='single-quoted'",
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG',
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'password: abc=def==',
      'NODE_ENV=production',
    ].join('\n');

    expect(fields(text).sort()).toEqual(
      ['abc=def==', 'ghp_quoted_value', 'single-quoted', 'wJalrXUtnFEMI/K7MDENG'].sort(),
    );
  });

  it('takes the password of a URL user info', () => {
    expect(fields('DATABASE_URL=postgres://app:s3cr3t-pass@db:5432/app')).toEqual(['s3cr3t-pass']);
  });

  it('takes credential members of a JSON document at any depth, not public ones', () => {
    const config = {
      auths: { 'localhost:5000': { auth: 'Y2k6cGFzc3dvcmQ=' } },
      credHelpers: {},
      identitytoken: 'eyJhbGciOiJ-token',
    };
    const serviceAccount = {
      type: 'service_account',
      client_secret: 'GOCSPX-client-secret',
      token_uri: 'https://oauth2.example.com/token',
      private_key_id: '0123456789abcdef',
    };

    expect(fields(JSON.stringify(config, null, 2)).sort()).toEqual(
      ['Y2k6cGFzc3dvcmQ=', 'eyJhbGciOiJ-token'].sort(),
    );
    expect(fields(JSON.stringify(serviceAccount))).toEqual(['GOCSPX-client-secret']);
  });

  it('skips placeholders, short values and structure', () => {
    expect(fields('//reg/:_authToken=${NPM_TOKEN}\n')).toEqual([]);
    expect(fields('password=abc\n')).toEqual([]);
    expect(fields('password = ******\n')).toEqual([]);
  });

  it('gives nothing for binary values or values that name no credential', () => {
    expect(credentialFields(Buffer.from([0xff, 0xfe, 0x70, 0x61, 0x73, 0x73]), 6)).toEqual([]);
    expect(fields('just-a-random-token-value')).toEqual([]);
  });
});

describe('isCredentialKey', () => {
  it.each([
    '_authToken',
    '//localhost:4873/:_authToken',
    '_auth',
    'password',
    'DB_PASSWORD',
    'client_secret',
    'aws_secret_access_key',
    'identitytoken',
    'apiKey',
    'X-Api-Key',
    'passphrase',
  ])('names a credential: %s', (key) => {
    expect(isCredentialKey(key)).toBe(true);
  });

  it.each([
    'token_uri',
    'auth_provider_x509_cert_url',
    'aws_access_key_id',
    'registry',
    'monkey',
    'author',
    'NODE_ENV',
    '',
  ])('does not name a credential: %j', (key) => {
    expect(isCredentialKey(key)).toBe(false);
  });
});
