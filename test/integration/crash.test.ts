// An exception that escapes every try (a bug in a stream callback) still stops the builder and
// removes the run directory before the process exits 70, and says nothing of what it carried.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { REPO_ROOT as ROOT } from '../helpers/cli.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('cleanUpOnCrash', () => {
  it('stops the builder and removes the run directory when an exception escapes', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-crash-'));
    // A child that creates a run directory, starts a "builder" in a group of its own, and then
    // throws from a timer, where no try or finally can catch it.
    const script = `
      import { spawn } from 'node:child_process';
      import fs from 'node:fs';
      import { cleanUpOnCrash } from '${ROOT}/dist/cli/crash.js';
      import { createRunDir } from '${ROOT}/dist/materialize/run-dir.js';
      cleanUpOnCrash();
      const run = createRunDir(${JSON.stringify(dir)});
      fs.writeFileSync(run.path + '/secret', 'crash-test-value-3f2e');
      const builder = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
      run.recordBuilder(builder.pid);
      fs.writeFileSync(${JSON.stringify(dir)} + '/builder.pid', String(builder.pid));
      setTimeout(() => { throw new RangeError('crash-test-value-3f2e'); }, 50);
    `;

    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });

    expect(child.status).toBe(70);
    expect(child.stderr).toContain('unexpected internal error (RangeError)');
    expect(child.stderr).not.toContain('crash-test-value');
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('ona-build-'))).toEqual([]);
    const pid = Number(fs.readFileSync(path.join(dir, 'builder.pid'), 'utf8'));
    expect(isRunning(pid)).toBe(false);
  });
});

/** Alive and not a zombie (an orphan killed here waits for init to reap it). */
function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
