import { describe, expect, it } from 'vitest';

import { jsonForms } from './json-forms.js';

const texts = (forms: Buffer[]) => forms.map((form) => form.toString());

const KEY = {
  type: 'service_account',
  private_key:
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG\n' +
    'AQEFAASCBKcwggSjAgEA\n-----END PRIVATE KEY-----\n',
  client_id: '123456789012345678901',
};

describe('jsonForms', () => {
  it('gives the compact document and each line of multi-line string members', () => {
    const forms = texts(jsonForms(Buffer.from(JSON.stringify(KEY, null, 2)), 6));

    expect(forms).toContain(JSON.stringify(KEY));
    expect(forms).toEqual(
      expect.arrayContaining([KEY.private_key, 'MIIEvQIBADANBgkqhkiG', 'AQEFAASCBKcwggSjAgEA']),
    );
  });

  it('leaves out single-line members and PEM armour', () => {
    const forms = texts(jsonForms(Buffer.from(JSON.stringify(KEY, null, 2)), 6));

    expect(forms).not.toContain('service_account');
    expect(forms).not.toContain('-----BEGIN PRIVATE KEY-----');
  });

  it.each(['not json', '{"unterminated": ', '"a string"', '42'])('gives nothing for %j', (text) => {
    expect(jsonForms(Buffer.from(text), 6)).toEqual([]);
  });
});
