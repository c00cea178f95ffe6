// A store row altered behind ona-build's back (here a file secret's mount path, which is bound to
// its ciphertext) is caught wherever the effective set is worked out: `secret resolve` fails as a
// build would, while `secret list`, the inventory, still shows the secret so it can be removed.

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSandbox, runCli, setSecret, type Sandbox } from '../helpers/cli.js';

const PROJECT = ['--org', 'acme', '--project', 'web'];
const VALUE = 'cfg-value-tamper-7b1c';

describe('a tampered store row', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = createSandbox();
    await setSecret(
      sandbox,
      ['cfg', ...PROJECT, '--type', 'file', '--mount', '/etc/app.cfg'],
      VALUE,
    );
    const db = new Database(sandbox.env.ONA_BUILD_STORE);
    db.prepare(`UPDATE secrets SET meta = '{"mount":"/etc/passwd"}' WHERE name = 'cfg'`).run();
    db.close();
  });

  afterAll(() => sandbox.remove());

  it('fails secret resolve with exit 4, naming the secret and never its value', async () => {
    const run = await runCli(sandbox, ['secret', 'resolve', ...PROJECT]);

    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('secret cfg (project acme/web)');
    expect(run.stderr).toContain('failed authentication');
    expect(run.stdout).not.toContain('/etc/passwd');
    expect(run.raw.includes(VALUE)).toBe(false);
  });

  it('still lists the secret, so that it can be found and removed', async () => {
    const list = await runCli(sandbox, ['secret', 'list', ...PROJECT]);
    const rm = await runCli(sandbox, ['secret', 'rm', 'cfg', ...PROJECT]);

    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain('cfg');
    expect(rm.exitCode, rm.stderr).toBe(0);
    expect((await runCli(sandbox, ['secret', 'resolve', ...PROJECT])).exitCode).toBe(0);
  });
});
