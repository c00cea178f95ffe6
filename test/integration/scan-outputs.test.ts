// `build --scan-leaks` of builds that export files rather than an image (`--output type=local`
// and `type=tar`) on the real engine: the exported files are scanned where buildx wrote them, a
// secret copied into them is reported by file, and the build itself is left intact.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildArgs,
  createBuildSandbox,
  PROJECT,
  type BuildSandbox,
} from '../helpers/build-sandbox.js';
import { runCli, setSecret } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';

// Fresh every run, so no exported file can come from an earlier run's cache.
const TOKEN = `output-token-${randomBytes(8).toString('hex')}`;
const BASE64 = Buffer.from(TOKEN).toString('base64');

interface OutputKind {
  readonly name: string;
  /** The `--output` value for a destination under `dir`, and that destination. */
  readonly output: (dir: string) => { value: string; dest: string };
  /** The exported files, by path (`etc/app/token`), as text. */
  readonly files: (dest: string) => Promise<Record<string, string>>;
}

const KINDS: OutputKind[] = [
  {
    name: 'type=local',
    output: (dir) => ({ value: `type=local,dest=${dir}/out`, dest: `${dir}/out` }),
    files: (dest) => Promise.resolve(directoryFiles(dest)),
  },
  {
    name: 'a bare path (local)',
    output: (dir) => ({ value: `${dir}/bare`, dest: `${dir}/bare` }),
    files: (dest) => Promise.resolve(directoryFiles(dest)),
  },
  {
    name: 'type=tar',
    output: (dir) => ({ value: `type=tar,dest=${dir}/out.tar`, dest: `${dir}/out.tar` }),
    files: tarFiles,
  },
];

describe.runIf(requireEngine())('leak scan of exported files (--output local and tar)', () => {
  let sandbox: BuildSandbox;
  let count = 0;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
    await setSecret(sandbox, ['output_token', ...PROJECT], TOKEN);
  });

  afterAll(() => sandbox?.remove());

  /** A fresh directory for one build's output. */
  const outputDir = () => fs.mkdtempSync(path.join(sandbox.dir, `out-${count++}-`));

  const build = (fixture: string, mode: string, output: string) =>
    runCli(sandbox, buildArgs(fixture, mode, '-o', output));

  describe.each(KINDS)('$name', (kind) => {
    it('warns about a secret copied into the exported files, and exports them', async () => {
      const { value, dest } = kind.output(outputDir());

      const run = await build('output-leaky', '--scan-leaks', value);

      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toContain(
        `leak: output_token (project acme/web) as exact in output ${dest} at /etc/app/token`,
      );
      expect(run.stderr).toContain(`as base64 in output ${dest} at /token.b64`);
      const files = await kind.files(dest);
      expect(files['etc/app/token'] === TOKEN).toBe(true);
      expect(files['token.b64']?.trim() === BASE64).toBe(true);
      expect(run.raw.includes(TOKEN) || run.raw.includes(BASE64)).toBe(false);
    });

    it('fails with exit 8 under --scan-leaks=fail', async () => {
      const { value, dest } = kind.output(outputDir());

      const run = await build('output-leaky', '--scan-leaks=fail', value);

      expect(run.exitCode, run.stderr).toBe(8);
      expect(run.stderr).toContain(`at /etc/app/token`);
      expect(run.stderr).toContain('the build result holds secret values (2 found)');
      expect(fs.existsSync(dest)).toBe(true);
      expect(run.raw.includes(TOKEN) || run.raw.includes(BASE64)).toBe(false);
    });

    it('passes a clean build, whose output is there', async () => {
      const { value, dest } = kind.output(outputDir());

      const run = await build('output-clean', '--scan-leaks=fail', value);

      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`no leaks found in ${dest} \\(\\d+ files, `));
      expect((await kind.files(dest)).hash).toMatch(
        /^[0-9a-f]{64} {2}\/run\/secrets\/output_token/,
      );
    });
  });

  it('refuses --scan-leaks=fail up front for an output it cannot scan, building nothing', async () => {
    const dest = `${outputDir()}/out`;
    const args = buildArgs(
      'output-leaky',
      '--scan-leaks=fail',
      '--load',
      '-o',
      `type=local,dest=${dest}`,
    );

    const run = await runCli(sandbox, args);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--scan-leaks=fail cannot pass this build: the image loaded');
    expect(fs.existsSync(dest)).toBe(false);
  });
});

function directoryFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    if (fs.lstatSync(file).isFile()) files[name] = fs.readFileSync(file, 'utf8');
  }
  return files;
}

async function tarFiles(file: string): Promise<Record<string, string>> {
  const extract = tar.extract();
  fs.createReadStream(file).pipe(extract);
  const files: Record<string, string> = {};
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.type === 'file') {
      files[entry.header.name.replace(/^\.?\//, '')] = Buffer.concat(chunks).toString();
    }
  }
  return files;
}
