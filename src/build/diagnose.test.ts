import { describe, expect, it } from 'vitest';

import type { Scope } from '../secrets/model.js';
import { diagnoseFailure } from './diagnose.js';
import type { BuildPlan } from './plan.js';

const org: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };

function plan(overrides: Partial<BuildPlan> = {}): BuildPlan {
  return {
    builder: { docker: 'docker', kind: 'buildx' },
    runDir: '/dev/shm/ona-build-1-x',
    dockerConfigDir: '/dev/shm/ona-build-1-x/docker-config',
    context: '.',
    secrets: [{ id: 'npmrc', type: 'file', scope: org, file: '/dev/shm/x/0', bytes: 10 }],
    registries: [{ host: 'localhost:5000', username: 'ci', scope: org }],
    argv: [],
    mountTargets: new Map([['/home/app/.npmrc', 'npmrc']]),
    ...overrides,
  };
}

describe('diagnoseFailure', () => {
  it.each([
    'unknown command: docker buildx\n',
    "docker: 'buildx' is not a docker command.\nSee 'docker --help'\n",
    "unknown flag: --secret\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help'\n",
  ])('names the buildx plugin file that docker could not run, for %j', (output) => {
    const plugin = { path: '/home/ana/.docker/cli-plugins/docker-buildx', usable: false };
    const withPlugin = plan({ builder: { docker: 'docker', kind: 'buildx', plugin } });

    expect(diagnoseFailure(output, withPlugin)).toEqual([
      'docker could not run its buildx plugin /home/ana/.docker/cli-plugins/docker-buildx; ' +
        'that file hides any other buildx: repair or remove it, or install buildx again',
    ]);
    expect(diagnoseFailure(output, plan())[0]).toContain('docker has no working buildx plugin');
  });

  it.each([
    'ERROR: Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?\n',
    'error during connect: Get "http://%2Fx.sock/_ping": ' +
      'dial unix /x.sock: connect: no such file\n',
  ])('says the engine could not be reached, for %j', (output) => {
    expect(diagnoseFailure(output, plan())).toEqual([
      'the docker engine could not be reached: start it, or check DOCKER_HOST and the docker ' +
        'context (ona-build doctor checks both)',
    ]);
  });

  it('says what works instead of a mount option the frontend does not know (env=)', () => {
    const parse = (key: string) =>
      'ERROR: failed to solve: rpc error: code = Unknown desc = failed to solve with frontend ' +
      'dockerfile.v0: failed to create LLB definition: dockerfile parse error line 2: ' +
      `unexpected key '${key}' in '${key}=TOK'\n`;

    expect(diagnoseFailure(parse('env'), plan())).toEqual([
      "this builder's Dockerfile frontend does not know the mount option env= (line 2), which " +
        "needs Dockerfile 1.10: read the secret's file instead, as every BuildKit can: " +
        "RUN --mount=type=secret,id=ID sh -c 'VAR=$(cat /run/secrets/ID) ...'",
    ]);
    expect(diagnoseFailure(parse('sharing'), plan())[0]).toContain(
      'does not know the mount option sharing= (line 2): use a newer BuildKit',
    );
  });

  it('says nothing of buildx when the classic builder ran', () => {
    const classic = plan({ builder: { docker: 'docker', kind: 'classic' } });

    expect(diagnoseFailure('unknown command: docker buildx\n', classic)).toEqual([]);
  });

  it('names the scope of a registry credential that was refused', () => {
    const output =
      '#3 ERROR: pulling from host localhost:5000 failed with status code [manifests 1]: ' +
      '401 Unauthorized\n';

    expect(diagnoseFailure(output, plan())).toEqual([
      'registry localhost:5000 refused the credential of user ci from organization acme: ' +
        "check that secret's username and token",
    ]);
  });

  it('suggests storing a credential when no secret covers the refusing registry', () => {
    const output = 'pulling from host reg.example.com failed with status code: 401 Unauthorized';

    expect(diagnoseFailure(output, plan())[0]).toContain(
      'registry reg.example.com refused the pull and no secret holds a credential for it',
    );
  });

  it.each([
    ["#8 0.085 cat: can't open '/home/app/.npmrc': Permission denied", 'npmrc'],
    ['#8 0.085 cat: /run/secrets/npmrc: Permission denied', 'npmrc'],
  ])('points at uid/gid/mode when a step cannot read a secret mount: %s', (line, name) => {
    const [hint] = diagnoseFailure(line, plan());

    expect(hint).toContain(`could not read secret ${name}`);
    expect(hint).toContain('add uid=<uid>,gid=<gid> (or mode=0444)');
  });

  it('says nothing about permission errors on paths that are not secret mounts', () => {
    expect(diagnoseFailure('rm: /etc/shadow: Permission denied', plan())).toEqual([]);
  });

  it('names the frontend image and its directive when it cannot be pulled (C25)', () => {
    const output =
      '#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/docker/' +
      'dockerfile/manifests/1": connection refused\n------\n' +
      ' > resolve image config for docker.io/docker/dockerfile:1:\n------\n';

    const [hint] = diagnoseFailure(
      output,
      plan({ syntax: { image: 'docker/dockerfile:1', line: 1 } }),
    );

    expect(hint).toContain('frontend image docker.io/docker/dockerfile:1');
    expect(hint).toContain('# syntax= directive on line 1');
  });

  it('says nothing for an ordinary failure', () => {
    expect(diagnoseFailure('#7 ERROR: process "/bin/sh -c false" exit code: 1', plan())).toEqual(
      [],
    );
  });
});
