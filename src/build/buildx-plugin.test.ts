import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Redactor } from '../redact/index.js';
import { detectBuilder } from './builder.js';
import { locateBuildxPlugin } from './buildx-plugin.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-plugin-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeFile(file: string, text: string, mode: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  return file;
}

describe('locateBuildxPlugin', () => {
  const usable = (file: string) => ({ path: file, usable: true });

  it("finds the plugin in the user's docker config directory first", () => {
    const system = path.join(dir, 'system');
    writeFile(path.join(system, 'docker-buildx'), '', 0o755);
    const user = writeFile(path.join(dir, 'config', 'cli-plugins', 'docker-buildx'), '', 0o755);

    const found = locateBuildxPlugin({ DOCKER_CONFIG: path.join(dir, 'config') }, [system]);

    expect(found).toEqual(usable(user));
  });

  it('falls back to ~/.docker, then to the system directories in order', () => {
    const first = path.join(dir, 'first');
    const second = writeFile(path.join(dir, 'second', 'docker-buildx'), '', 0o755);

    expect(locateBuildxPlugin({ HOME: dir }, [first, path.dirname(second)])).toEqual(
      usable(second),
    );

    const home = writeFile(path.join(dir, '.docker', 'cli-plugins', 'docker-buildx'), '', 0o755);
    expect(locateBuildxPlugin({ HOME: dir }, [first, path.dirname(second)])).toEqual(usable(home));
  });

  it('reports a first match that is not an executable file as unusable: it hides the rest', () => {
    const broken = writeFile(path.join(dir, '.docker', 'cli-plugins', 'docker-buildx'), '', 0o644);
    const good = writeFile(path.join(dir, 'system', 'docker-buildx'), '', 0o755);

    const found = locateBuildxPlugin({ HOME: dir }, [path.dirname(good)]);

    expect(found).toEqual({ path: broken, usable: false });
  });

  it('reports a directory with the name as unusable, and nothing when there is none', () => {
    fs.mkdirSync(path.join(dir, 'a', 'docker-buildx'), { recursive: true });

    expect(locateBuildxPlugin({ HOME: dir }, [path.join(dir, 'a')])?.usable).toBe(false);
    expect(locateBuildxPlugin({ HOME: dir }, [path.join(dir, 'b')])).toBeUndefined();
  });
});

describe('detectBuilder', () => {
  const guard = new Redactor();

  // A client that records each run, and fails `docker buildx` as a client without the plugin does.
  function recordingClient(): { docker: string; runs: () => string[] } {
    const log = path.join(dir, 'runs.log');
    const docker = writeFile(
      path.join(dir, 'bin', 'docker'),
      `#!/bin/sh\necho "$*" >> ${log}\n[ "$1" = buildx ] && exit 1\necho "  --secret x"\n`,
      0o755,
    );
    const runs = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);
    return { docker, runs };
  }

  function withPlugin(): NodeJS.ProcessEnv {
    writeFile(path.join(dir, 'config', 'cli-plugins', 'docker-buildx'), '', 0o755);
    return { PATH: path.join(dir, 'bin'), DOCKER_CONFIG: path.join(dir, 'config') };
  }

  it('trusts an installed plugin file without running the client', async () => {
    const client = recordingClient();
    const env = withPlugin() as Record<string, string>;

    const builder = await detectBuilder({
      docker: 'docker',
      env,
      guard,
      dockerCli: true,
      trustPluginFile: true,
    });

    const plugin = { path: path.join(dir, 'config', 'cli-plugins', 'docker-buildx'), usable: true };
    expect(builder).toEqual({ docker: 'docker', kind: 'buildx', plugin });
    expect(client.runs()).toEqual([]);
  });

  it('asks a client named by the caller even when the plugin file exists', async () => {
    const client = recordingClient();
    const env = withPlugin() as Record<string, string>;

    const builder = await detectBuilder({ docker: client.docker, env, guard });

    expect(builder.kind).toBe('classic');
    expect(client.runs()).toEqual(['buildx version', 'build --help']);
  });

  it('still says the client is missing when only the plugin is installed', async () => {
    const env = withPlugin() as Record<string, string>;

    await expect(
      detectBuilder({ docker: 'docker', env, guard, dockerCli: true, trustPluginFile: true }),
    ).rejects.toThrow('docker client not found (docker)');
  });

  it('names a broken plugin that hides any other buildx, when nothing else works', async () => {
    const broken = writeFile(path.join(dir, 'config', 'cli-plugins', 'docker-buildx'), '', 0o644);
    writeFile(path.join(dir, 'bin', 'docker'), '#!/bin/sh\nexit 1\n', 0o755);
    const env = { PATH: path.join(dir, 'bin'), DOCKER_CONFIG: path.join(dir, 'config') };

    const detected = detectBuilder({
      docker: 'docker',
      env,
      guard,
      dockerCli: true,
      trustPluginFile: true,
    });

    await expect(detected).rejects.toThrow(
      `docker cannot run the buildx plugin ${broken}, which is not an executable file`,
    );
  });
});
