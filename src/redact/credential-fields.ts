// Credentials a build step quotes on their own out of a larger file secret. `cut -d= -f2` of an
// `.npmrc` line, `awk '/password/ {print $2}' .netrc` or `jq -r .auths[].auth config.json` print
// the token alone, so neither the whole value nor any of its lines matches.
//
// Only fields whose key names a credential are taken (`_authToken`, `password`, `client_secret`,
// `aws_secret_access_key`...), plus the password of a URL's user info. Other fields of the same
// files hold public text (`registry=`, `token_uri`, `type: service_account`): masking those
// everywhere would hide ordinary output, and the stars would say what the file contains.

import { isUtf8 } from 'node:buffer';

import { isStructural } from './lines.js';

// A key's last word, split at separators and camelCase: `_authToken` ends in `token`.
const CREDENTIAL_WORDS = new Set([
  'apikey',
  'auth',
  'credential',
  'credentials',
  'key',
  'pass',
  'passphrase',
  'passwd',
  'password',
  'pwd',
  'secret',
  'token',
]);

// The same words run into a longer one (`identitytoken`, `secretkey`), but never a bare `key`:
// `monkey` and `hotkey` are not credentials.
const CREDENTIAL_ENDINGS = ['apikey', 'passphrase', 'passwd', 'password', 'secret', 'token'];

// `.netrc` keywords after which the next word is a password.
const NETRC_PASSWORD = new Set(['password', 'passwd']);

// Cheap test that rules out most values (random tokens) before any parsing.
const MENTIONS_CREDENTIAL = /pass|pwd|secret|token|auth|key|credential|:\/\/[^\s/@]*:[^\s@]*@/i;

// `scheme://user:password@host`: the password of a connection string.
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@/gi;

// `${NPM_TOKEN}` or `$NPM_TOKEN`: a placeholder the file is filled in from, not a value.
const VARIABLE_REFERENCE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

/** Credential values found in the fields of `value`, each at least `minLength` bytes. */
export function credentialFields(value: Buffer, minLength: number): Buffer[] {
  if (!isUtf8(value)) return [];
  const text = value.toString('utf8');
  if (!MENTIONS_CREDENTIAL.test(text)) return [];

  const found = new Set<string>();
  const keep = (candidate: string) => {
    const field = candidate.trim();
    if (VARIABLE_REFERENCE.test(field)) return;
    const bytes = Buffer.from(field);
    if (bytes.length >= minLength && !isStructural(bytes)) found.add(field);
  };

  const document = parseJson(text);
  if (document !== undefined) jsonFields(document, keep);
  for (const line of text.split('\n')) lineFields(line.trim(), keep);
  return [...found].map((field) => Buffer.from(field));
}

export function isCredentialKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
  const last = words.at(-1);
  if (last === undefined) return false;

  return CREDENTIAL_WORDS.has(last) || CREDENTIAL_ENDINGS.some((end) => last.endsWith(end));
}

function parseJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;

  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// String members under a credential key, at any depth. Multi-line members are json-forms.ts's.
function jsonFields(node: unknown, keep: (field: string) => void): void {
  if (typeof node !== 'object' || node === null) return;

  for (const [key, member] of Object.entries(node)) {
    if (typeof member !== 'string') jsonFields(member, keep);
    else if (!member.includes('\n') && isCredentialKey(key)) keep(member);
  }
}

// One line of an ini, dotenv, properties, YAML, `.npmrc` or `.netrc` file.
function lineFields(line: string, keep: (field: string) => void): void {
  if (line.startsWith('#') || line.startsWith(';')) return;

  for (const match of line.matchAll(URL_PASSWORD)) keep(match[1]);

  const pair = keyValue(line);
  if (pair && isCredentialKey(pair.key)) keep(unquote(pair.value));

  const words = line.split(/\s+/);
  words.forEach((word, index) => {
    if (NETRC_PASSWORD.has(word.toLowerCase()) && index + 1 < words.length) keep(words[index + 1]);
  });
}

// `key=value` (ini, dotenv, `.npmrc`, whose keys contain `:`) or `key: value` (YAML), whichever
// separator comes first: a YAML value may contain `=`, as base64 padding does.
function keyValue(line: string): { key: string; value: string } | undefined {
  const body = line.replace(/^export\s+/, '');
  const equals = body.indexOf('=');
  const colon = body.search(/:\s/);
  if (equals > 0 && (colon === -1 || equals < colon)) {
    return { key: body.slice(0, equals), value: body.slice(equals + 1) };
  }
  if (colon > 0) return { key: unquote(body.slice(0, colon)), value: body.slice(colon + 1) };
  return undefined;
}

// `"value",` in a JSON-like line, `'value'` in a shell-like one.
function unquote(text: string): string {
  const value = text.trim().replace(/,$/, '').trim();
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
    return value.slice(1, -1);
  }
  return value;
}
