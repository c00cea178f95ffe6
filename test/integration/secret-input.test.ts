// Where `secret set` takes a value from, and what it warns about. `--from-file -` is stdin, a
// FIFO (a shell's `--from-file <(vault read ...)`) is read to its end and held to BuildKit's
// limit, and ^C at the hidden prompt ends the run as SIGINT does (130), storing nothing. Names
// that programs read at start-up, and a second secret on one file path, are warned about; a
// secret rm that misses points to the organization's secret of that name. An empty or blank
// value (an unset variable piped in) is refused unless asked for, so it cannot wipe a good one.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadMasterKey } from '../../src/crypto/master-key.js';
import { SqliteStore } from '../../src/secrets/store/sqlite-store.js';
import { CLI, createSandbox, REPO_ROOT, runCli, type Sandbox } from '../helpers/cli.js';

const ORG = ['--org', 'acme'];
const VALUE = 'input-test-value-5c81e0\r\n';

describe('secret set input', () => {
  let sandbox: Sandbox;

  beforeAll(() => {
    sandbox = createSandbox();
  });

  afterAll(() => sandbox?.remove());

  /** The value the store holds for `name`, read with the sandbox's key; undefined if none. */
  const storedValue = async (name: string): Promise<string | undefined> => {
    if (!fs.existsSync(sandbox.env.ONA_BUILD_KEY_FILE)) return undefined;
    const masterKey = loadMasterKey({
      env: {},
      keyFile: sandbox.env.ONA_BUILD_KEY_FILE,
      create: false,
    });
    const store = SqliteStore.open({ path: sandbox.env.ONA_BUILD_STORE, masterKey, create: false });
    try {
      const secrets = await store.read([{ kind: 'organization', org: 'acme', owner: 'acme' }]);
      return secrets.find((secret) => secret.name === name)?.value.toString('latin1');
    } finally {
      store.close();
    }
  };

  it('reads --from-file - from stdin', async () => {
    const run = await runCli(sandbox, ['secret', 'set', 'DASH', ...ORG, '--from-file', '-'], {
      input: VALUE,
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(await storedValue('DASH')).toBe(VALUE);
  });

  it('reads a FIFO to its end, byte for byte', async () => {
    const fifo = path.join(sandbox.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = execa('sh', ['-c', `printf '%s' "$0" > "$1"`, VALUE, fifo]);

    const run = await runCli(sandbox, ['secret', 'set', 'FIFO', ...ORG, '--from-file', fifo]);
    await writer;

    expect(run.exitCode, run.stderr).toBe(0);
    expect(await storedValue('FIFO')).toBe(VALUE);
  });

  it('refuses a FIFO holding more than 512,000 bytes, naming it', async () => {
    const fifo = path.join(sandbox.dir, 'big-fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = execa('sh', ['-c', `head -c 600000 /dev/zero > "$0"`, fifo], { reject: false });

    const run = await runCli(sandbox, ['secret', 'set', 'BIG', ...ORG, '--from-file', fifo]);
    writer.kill();

    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`--from-file ${fifo} is over 512000 bytes`);
    expect(await storedValue('BIG')).toBeUndefined();
  });

  it('says when it replaces a secret, and from which type', async () => {
    const set = (...extra: string[]) =>
      runCli(sandbox, ['secret', 'set', 'REPLACED', ...ORG, ...extra], { input: 'value-one-1' });

    const first = await set();
    const again = await set();
    const retyped = await set('--mount', '/etc/replaced');

    expect(first.stderr).toContain('stored env secret REPLACED (organization acme)');
    expect(again.stderr).toContain('replaced env secret REPLACED (organization acme)');
    expect(retyped.stderr).toContain(
      'replaced env secret REPLACED (organization acme) with a file secret',
    );
  });

  it.each([
    ['empty (printf of an unset variable)', ''],
    ['blank (echo of an unset variable)', '\n'],
  ])('keeps the stored value when the new one is %s, unless --allow-empty', async (_, input) => {
    const set = (...extra: string[]) =>
      runCli(sandbox, ['secret', 'set', 'KEPT', ...ORG, ...extra], { input });
    await runCli(sandbox, ['secret', 'set', 'KEPT', ...ORG], { input: VALUE });

    const refused = await set();
    const kept = await storedValue('KEPT');
    const allowed = await set('--allow-empty');

    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(
      /error: secret KEPT \(organization acme\): the value is (empty|bla)/,
    );
    expect(refused.stderr).toContain('nothing was stored');
    expect(kept).toBe(VALUE);
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect(await storedValue('KEPT')).toBe(input);
  });

  it('repeats no stored value typed where a name belongs, and refuses it as a name', async () => {
    const value = 'S3cretValueTypedAsName_9x';
    await runCli(sandbox, ['secret', 'set', 'TYPED_AS_NAME', ...ORG], { input: value });

    const removed = await runCli(sandbox, ['secret', 'rm', value, ...ORG]);
    const stored = await runCli(sandbox, ['secret', 'set', value, ...ORG], {
      input: 'another-value-123',
    });

    expect(removed.exitCode).toBe(3);
    expect(removed.stderr).toContain('no secret *** in organization acme');
    expect(stored.exitCode).toBe(3);
    expect(stored.stderr).toContain("(not repeated here) holds a stored secret's value");
    expect(await storedValue(value)).toBeUndefined();
    for (const run of [removed, stored]) expect(run.raw.includes(value)).toBe(false);
  });

  it('does not repeat a --from-file that names no file: it may be the value', async () => {
    const typed = ['ghp_Value1nPlace0fPath', `/tmp/${'x'.repeat(300)}`, '/etc/hostname/x'];

    const runs = await Promise.all(
      typed.map((file) => runCli(sandbox, ['secret', 'set', 'TYPED', ...ORG, '--from-file', file])),
    );

    for (const [index, run] of runs.entries()) {
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('cannot read --from-file (not repeated here): ');
      expect(run.stderr).not.toContain(typed[index]);
    }
    expect(await storedValue('TYPED')).toBeUndefined();
  });

  it('refuses a directory (exit 2)', async () => {
    const run = await runCli(sandbox, ['secret', 'set', 'DIR', ...ORG, '--from-file', '/tmp']);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--from-file /tmp is a directory');
  });

  it('stores an env secret that programs read at start-up, with a warning', async () => {
    const run = await runCli(sandbox, ['secret', 'set', 'NODE_OPTIONS', ...ORG], {
      input: '--max-old-space-size=4096',
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('programs read NODE_OPTIONS as configuration when they start');
    expect(await storedValue('NODE_OPTIONS')).toBe('--max-old-space-size=4096');
  });

  it('warns when a secret takes the file path of another in its scope', async () => {
    const first = await runCli(sandbox, ['secret', 'set', 'cfg_b', ...ORG, '--mount', '/etc/x'], {
      input: 'config-value-one',
    });
    const second = await runCli(sandbox, ['secret', 'set', 'cfg_a', ...ORG, '--mount', '/etc/x'], {
      input: 'config-value-two',
    });

    expect(first.stderr).not.toContain('targets the same');
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain(
      'secret cfg_a (organization acme) targets the same file (/etc/x) as cfg_b in that scope: ' +
        'only cfg_a, the name that sorts first, is used',
    );
  });

  it('lists an organization without secrets as empty, saying so on stderr', async () => {
    await runCli(sandbox, ['secret', 'set', 'ANY', ...ORG], { input: 'some-value-123' });

    const run = await runCli(sandbox, ['secret', 'list', '--org', 'acmee']);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('SCOPE  NAME  TYPE  TARGET\n');
    expect(run.stderr).toContain('no secrets are stored for organization acmee');
  });

  it('gives each secret its target in JSON, as the table does', async () => {
    await runCli(sandbox, ['secret', 'set', 'JSON_ENV', ...ORG], { input: 'json-env-value-1' });

    const run = await runCli(sandbox, ['secret', 'resolve', ...ORG, '--project', 'p', '--json']);
    const secrets = (JSON.parse(run.stdout) as { secrets: Record<string, unknown>[] }).secrets;

    expect(secrets.find((secret) => secret.name === 'JSON_ENV')).toMatchObject({
      type: 'env',
      env: 'JSON_ENV',
    });
  });

  it('resolves an organization and project without secrets as empty, saying so', async () => {
    await runCli(sandbox, ['secret', 'set', 'ANY', ...ORG], { input: 'some-value-123' });

    const run = await runCli(sandbox, ['secret', 'resolve', '--org', 'acmee', '--project', 'x']);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('NAME  TYPE  FROM  TARGET  OVERRIDES\n');
    expect(run.stderr).toContain('no secrets are stored for organization acmee or project acmee/x');
  });

  it("points secret rm in a project to the organization's secret of that name", async () => {
    await runCli(sandbox, ['secret', 'set', 'ORG_ONLY', ...ORG], { input: 'org-only-value-1' });
    const rm = (...scope: string[]) => runCli(sandbox, ['secret', 'rm', 'ORG_ONLY', ...scope]);

    const inProject = await rm(...ORG, '--project', 'web');
    const nowhere = await rm(...ORG, '--user', 'ana');
    const missing = await runCli(sandbox, ['secret', 'rm', 'NO_SUCH', ...ORG, '--user', 'ana']);

    expect(inProject.exitCode).toBe(3);
    expect(inProject.stderr).toContain(
      'no secret ORG_ONLY in project acme/web; organization acme has one (leave out --project ' +
        'to remove it)',
    );
    expect(nowhere.stderr).toContain('(leave out --user to remove it)');
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain('no secret NO_SUCH in user acme/ana\n');
    expect(await storedValue('ORG_ONLY')).toBe('org-only-value-1');
  });

  it('exits 130 on ^C at the hidden prompt, storing nothing', async () => {
    // script gives the CLI a terminal; its stdin is the pipe the test writes keys to.
    const command = [process.execPath, CLI, 'secret', 'set', 'TTY', ...ORG].join(' ');
    const child = execa('script', ['-qefc', command, '/dev/null'], {
      env: { ...sandbox.env, TERM: 'dumb' },
      extendEnv: false,
      cwd: REPO_ROOT,
      reject: false,
    });
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('input hidden')) resolve();
      });
    });
    child.stdin.write('abc\x03');

    const result = await child;

    expect(result.exitCode).toBe(130);
    expect(result.stdout).toContain('cancelled');
    expect(await storedValue('TTY')).toBeUndefined();
  });
});
