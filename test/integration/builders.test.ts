// Which builder runs: buildx when the docker client has it, else the classic client's built-in
// BuildKit (Debian's /usr/bin/docker), else a clear error. ONA_BUILD_DOCKER names the client.

import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildArgs, createBuildSandbox, type BuildSandbox } from '../helpers/build-sandbox.js';
import { leftovers } from '../helpers/canary.js';
import { runCli } from '../helpers/cli.js';
import { requireEngine } from '../helpers/engine.js';

const CLASSIC_DOCKER = '/usr/bin/docker';

describe.runIf(requireEngine())('builder detection', () => {
  let sandbox: BuildSandbox;

  beforeAll(async () => {
    sandbox = await createBuildSandbox();
  });

  afterAll(() => sandbox?.remove());

  /**
   * A client that behaves as if the buildx plugin were not installed (`docker buildx` fails the
   * way it does then) and passes everything else to `real`. The plugin is installed system-wide
   * here, so hiding it is the only way to reach the fallback path with a real builder.
   */
  const clientWithoutBuildx = (real: string) => {
    const shim = path.join(sandbox.dir, `docker-no-buildx-${path.basename(path.dirname(real))}`);
    fs.writeFileSync(
      shim,
      `#!/bin/sh\nif [ "$1" = buildx ]; then ` +
        `echo "docker: 'buildx' is not a docker command." >&2; ` +
        `exit 1; fi\nexec ${real} "$@"\n`,
      { mode: 0o755 },
    );
    return shim;
  };

  it.runIf(fs.existsSync(CLASSIC_DOCKER))(
    "falls back to the classic client's built-in BuildKit when buildx is missing",
    async () => {
      const docker = clientWithoutBuildx(CLASSIC_DOCKER);

      const run = await runCli(sandbox, buildArgs('private-base'), {
        env: { ONA_BUILD_DOCKER: docker },
      });

      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).not.toContain('building with');
      expect(run.stderr).toMatch(/#\d+ \[auth\] sharing credentials for localhost:5000/);
      expect(run.raw.includes(sandbox.canary)).toBe(false);
      expect(leftovers(sandbox.runtimeDir)).toEqual([]);
    },
  );

  it('says what to install when the client has neither buildx nor BuildKit', async () => {
    const fake = path.join(sandbox.dir, 'docker-nothing');
    fs.writeFileSync(fake, '#!/bin/sh\necho "unknown command" >&2\nexit 1\n', { mode: 0o755 });

    const run = await runCli(sandbox, buildArgs('private-base'), {
      env: { ONA_BUILD_DOCKER: fake },
    });

    expect(run.exitCode).toBe(6);
    expect(run.stderr).toContain('neither the buildx plugin nor a built-in BuildKit client');
    expect(run.stderr).toContain('install buildx');
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('says the builder was killed by a signal, exiting 128 + its number', async () => {
    const docker = path.join(sandbox.dir, 'docker-killed');
    fs.writeFileSync(
      docker,
      `#!/bin/sh\nif [ "$2" = build ]; then kill -KILL $$; fi\nexec docker "$@"\n`,
      { mode: 0o755 },
    );

    const run = await runCli(sandbox, buildArgs('private-base'), {
      env: { ONA_BUILD_DOCKER: docker },
    });

    expect(run.exitCode).toBe(137);
    expect(run.stderr).toContain('the build failed (the builder was killed by SIGKILL)');
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });

  it('says the docker client is missing when ONA_BUILD_DOCKER names nothing', async () => {
    const run = await runCli(sandbox, buildArgs('private-base'), {
      env: { ONA_BUILD_DOCKER: '/nonexistent/docker' },
    });

    expect(run.exitCode).toBe(6);
    expect(run.stderr).toContain('docker client not found (/nonexistent/docker)');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(leftovers(sandbox.runtimeDir)).toEqual([]);
  });
});
