// The builder's output passes through the redactor on a real build: whole values, every long line
// of a multi-line key, and encoded forms are masked in what reaches the terminal (C26, C27);
// values too short to mask stay visible and are warned about (C29); a credential cut out of a
// file secret's field is masked, the file's public settings are not; a value's line breaks stay,
// so the line after it is still a line of its own.

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildArgs,
  createBuildSandbox,
  PROJECT,
  type BuildSandbox,
} from '../helpers/build-sandbox.js';
import { runCli, setSecret, type CliRun } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';

const PEM_BODY = Array.from(
  { length: 28 },
  (_, i) => `  ${Buffer.from(`line-${i}-of-a-private-key-body`).toString('base64')}`,
);
const DEPLOY_KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  ...PEM_BODY,
  '-----END OPENSSH PRIVATE KEY-----',
  '',
  '',
].join('\n');
const DB_PASS = 'p@ss:w0rd/é';
const NPM_TOKEN = 'npm_Tok3nCutOutOfAnNpmrc';
const NPMRC = `//localhost:4873/:_authToken=${NPM_TOKEN}\nregistry=http://localhost:4873/\n`;
const NETRC_PASSWORD = 'ghp_netrcPassw0rdValue';
const USER_SECRET = 'user-flag-secret-0f9e8d7c';
const USER_ENV_SECRET = 'user-variable-secret-5b6a4c3d';
const SHORT_TOKEN = 'supersecretvalue-ABC123';
const NETRC = `machine git.example.com\n  login ci\n  password ${NETRC_PASSWORD}\n`;
// Stored as `printf '...\n' | ona-build secret set`, or given as `--secret ...,src=/dev/stdin`
// fed by `<<< value`: the final line break is part of the value.
const NL_VALUE = 'nl_terminated_value_31337\n';
const CRLF_VALUE = 'crlf_terminated_value_27182\r\n';
const MULTI_LINES = ['first-line-of-a-value', 'second-line-of-a-value', 'third-line-of-a-value'];
const STDIN_VALUE = 'user_stdin_value_4242\n';

// A terminal wide enough for this file's secrets in tty progress (see tty-wrap.test.ts).
const WIDE = { env: { COLUMNS: '9999' } };

describe.runIf(requireEngine())('redaction of build output', () => {
  let sandbox: BuildSandbox;
  let run: CliRun;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
    await setSecret(sandbox, ['deploy_key', ...PROJECT, '--mount', '/k'], DEPLOY_KEY);
    await setSecret(sandbox, ['db_pass', '--org', 'acme'], DB_PASS);
    await setSecret(sandbox, ['region', ...PROJECT, '--type', 'file', '--mount', '/r'], 'eu');
    await setSecret(sandbox, ['npmrc', ...PROJECT, '--type', 'file', '--mount', '/n'], NPMRC);
    await setSecret(sandbox, ['netrc', ...PROJECT, '--type', 'file', '--mount', '/m'], NETRC);
    await setSecret(sandbox, ['short_token', '--org', 'acme'], SHORT_TOKEN);
    run = await runCli(sandbox, buildArgs('redaction', '--no-cache'));
  });

  afterAll(() => sandbox?.remove());

  it('builds, with the step output shown', () => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('plain: ***');
  });

  it('masks the whole value', () => {
    expect(run.raw.includes(sandbox.canary)).toBe(false);
  });

  it('masks every line of a multi-line key printed line by line, keeping the armour', () => {
    for (const line of PEM_BODY) expect(run.stderr).not.toContain(line.trim());
    expect(run.stderr).toContain('-----BEGIN OPENSSH PRIVATE KEY-----');
  });

  it.each([
    ['base64', Buffer.from(DB_PASS).toString('base64')],
    ['base64 of the value and a newline', Buffer.from(`${DB_PASS}\n`).toString('base64')],
    ['a registry auth field', Buffer.from(`ci:${DB_PASS}`).toString('base64')],
    ['hex', Buffer.from(DB_PASS).toString('hex')],
  ])('masks %s', (_, form) => {
    expect(run.stderr).not.toContain(form);
  });

  it('shows where each encoded form was masked', () => {
    expect(run.stderr).toMatch(/b64: \*\*\*/);
    // "ci:" is three bytes, so its base64 (Y2k6) stays: it is the username, not the secret.
    expect(run.stderr).toMatch(/auth: (Y2k6)?\*\*\*\n/);
    expect(run.stderr).toMatch(/hex: \*\*\*/);
  });

  it('leaves a value too short to mask visible and warns about it', () => {
    expect(run.stderr).toContain('secret region (project acme/web) is too short to be masked');
    expect(run.stderr).toContain('region is eu in europe');
  });

  it('keeps the line break ending a value: its *** and the next line stay apart', async () => {
    await setSecret(sandbox, ['nlv', ...PROJECT], NL_VALUE);
    await setSecret(sandbox, ['crlf', ...PROJECT], CRLF_VALUE);
    await setSecret(sandbox, ['multi', ...PROJECT], `${MULTI_LINES.join('\n')}\n`);
    const args = buildArgs('newline-secret', '--secret', 'id=mine,src=/dev/stdin');
    const run = await runCli(sandbox, args, { input: STDIN_VALUE });
    // A step's output line with BuildKit's `--progress=plain` prefix: `#6 0.061 after-nlv`.
    const line = (text: string) => String.raw`#\d+ [\d.]+ ${text}\r?\n`;
    const masked = line(String.raw`\*\*\*`);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(masked + line('after-nlv')));
    expect(run.stderr).toMatch(new RegExp(masked + line('after-crlf')));
    expect(run.stderr).toMatch(new RegExp(masked.repeat(3) + line('after-multi')));
    expect(run.stderr).toMatch(new RegExp(masked + line('after-mine')));
    for (const value of [NL_VALUE, CRLF_VALUE, ...MULTI_LINES, STDIN_VALUE]) {
      expect(run.raw.includes(value.trim())).toBe(false);
    }
  });

  it('masks a credential cut out of a file secret, keeping its public settings', () => {
    expect(run.stderr).not.toContain(NPM_TOKEN);
    expect(run.stderr).not.toContain(NETRC_PASSWORD);
    expect(run.stderr).toMatch(/npm token: \*\*\*\n/);
    expect(run.stderr).toMatch(/netrc password: \*\*\*\n/);
    expect(run.stderr).toContain('npm registry: http://localhost:4873/');
  });

  it('masks values in tty progress, drawn on a pseudo-terminal with ANSI codes', async () => {
    const tty = await runCli(sandbox, buildArgs('redaction-tty', '--progress=tty'), WIDE);

    expect(tty.exitCode).toBe(1);
    expect(tty.stderr).toContain('\x1b[');
    expect(tty.stderr).toContain('value: ***');
    expect(tty.raw.includes(sandbox.canary)).toBe(false);
    // The key was printed (its armour shows) and none of its body lines came through (C26).
    expect(tty.stderr).toContain('-----BEGIN OPENSSH PRIVATE KEY-----');
    for (const line of PEM_BODY) expect(tty.stderr).not.toContain(line.trim());
  });

  it("masks the user's own --secret values too, and counts them as provided", async () => {
    const file = path.join(sandbox.dir, 'mine');
    fs.writeFileSync(file, USER_SECRET, { mode: 0o600 });

    const run = await runCli(sandbox, buildArgs('user-secret', '--secret', `id=mine,src=${file}`));

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('mine: ***');
    expect(run.stderr).not.toContain('no scope provides it');
    expect(run.raw.includes(USER_SECRET)).toBe(false);
  });

  it("reads the user's own --secret from stdin, masks it, gives buildx a file of it", async () => {
    const args = buildArgs('user-secret', '--secret', 'id=mine,src=/dev/stdin');
    const run = await runCli(sandbox, args, { input: USER_SECRET });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('mine: ***');
    expect(run.raw.includes(USER_SECRET)).toBe(false);
  });

  it('refuses a --secret read from stdin when the Dockerfile comes from stdin too', async () => {
    const args = ['build', ...PROJECT, '--secret', 'id=mine,src=/dev/stdin', '-f', '-', '.'];
    const run = await runCli(sandbox, args, { input: 'FROM scratch\n' });

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--secret id=mine reads stdin, which the build context or');
  });

  it.each([
    ['env=, under a name that looks like a credential', 'id=mine,env=GITHUB_TOKEN', 'GITHUB_TOKEN'],
    ['a bare id naming a set variable', 'id=mine', 'mine'],
  ])(
    "builds with and masks the user's own --secret read from a variable: %s",
    async (_label, spec, variable) => {
      const env = { [variable]: USER_ENV_SECRET };
      const run = await runCli(sandbox, buildArgs('user-secret', '--secret', spec), { env });

      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toContain('mine: ***');
      expect(run.stderr).not.toContain('looks like a credential');
      expect(run.raw.includes(USER_ENV_SECRET)).toBe(false);
    },
  );

  it('masks the pieces of a value debugging prints: its end (tail -c), dumps of it', async () => {
    const run = await runCli(sandbox, buildArgs('partial-copies', '--no-cache'));
    const half = Math.ceil(SHORT_TOKEN.length / 2);
    const spacedHex = (text: string) =>
      Buffer.from(text)
        .toString('hex')
        .replace(/(..)(?!$)/g, '$1 ');

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/end: \w*\*\*\* ok/);
    expect(run.stderr).toMatch(/00000000 +\*\*\*/);
    expect(run.stderr).not.toContain(SHORT_TOKEN.slice(-half));
    expect(run.stderr).not.toContain(SHORT_TOKEN.slice(0, 16));
    expect(run.stderr).not.toContain(spacedHex(SHORT_TOKEN.slice(0, 3)));
    expect(run.stderr).not.toContain(spacedHex(SHORT_TOKEN.slice(8, 11)));
  });

  // BuildKit's limit grows with the step's age, so a step that starts printing late (a loaded
  // machine) is clipped at a later mark; the fixture puts a copy of the value across each mark.
  it.each([
    ['starts printing at once', '0'],
    ['starts printing after a second', '1.2'],
  ])(
    "masks what BuildKit's log clipping leaves of a value, cut short: a step that %s",
    async (_label, delay) => {
      const args = buildArgs('clipped-step', '--no-cache', '--build-arg', `SLOW_START=${delay}`);
      const clipped = await runCli(sandbox, args);

      expect(clipped.exitCode, clipped.stderr.slice(-2000)).toBe(0);
      expect(clipped.stderr).toMatch(/x\*\*\*\n#\d+ [\d.]+ \[output clipped, log limit/);
      expect(clipped.raw.includes(sandbox.canary.subarray(0, 12))).toBe(false);
    },
  );

  it.each([[[]], [['--progress=tty']]])(
    'passes an archive on stdout (-o -) intact even when it holds a secret, and says so: %j',
    async (extra) => {
      const args = buildArgs('export-leaky', ...extra, '-o', '-');
      const exported = await runCli(sandbox, args, WIDE);
      const failing = await runCli(
        sandbox,
        [...args.slice(0, -1), '--scan-leaks=fail', ...args.slice(-1)],
        WIDE,
      );

      expect(exported.exitCode, exported.stderr).toBe(0);
      const files = await tarFiles(exported.stdoutBytes);
      expect(files.token === SHORT_TOKEN).toBe(true);
      expect(exported.stderr).toContain('the build result written to stdout (-o -) holds a secret');
      expect(failing.exitCode, failing.stderr).toBe(8);
    },
  );

  it("keeps the builder's stdout apart from the tty display: a tar arrives whole", async () => {
    const args = buildArgs('tty-stdout', '--progress=tty', '--output', 'type=tar,dest=-');
    const tty = await runCli(sandbox, args, WIDE);

    expect(tty.exitCode, tty.stderr).toBe(0);
    expect(tty.stderr).toContain('\x1b[');
    expect(await tarFiles(tty.stdoutBytes)).toEqual({ 'greeting.txt': 'hello from the build\n' });
  });
});

/** The regular files of a tar, by name, as text. */
async function tarFiles(data: Buffer): Promise<Record<string, string>> {
  const extract = tar.extract();
  Readable.from([data]).pipe(extract);
  const files: Record<string, string> = {};
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.type === 'file') files[entry.header.name] = Buffer.concat(chunks).toString();
  }
  return files;
}
