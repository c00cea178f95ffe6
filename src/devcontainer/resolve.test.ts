import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { OnaBuildError } from '../errors.js';
import { toBuildxArgs } from './buildx-args.js';
import type { DevcontainerPlan, DockerfilePlan } from './plan.js';
import { resolveDevcontainer, type ResolveOptions } from './resolve.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/devcontainer', import.meta.url));
const ORIGINAL_CWD = process.cwd();

let tmp: string;

// Every resolution runs from an unrelated folder: paths must not depend on it (C21).
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ona-devcontainer-resolve-'));
  process.chdir(os.tmpdir());
});

afterAll(() => {
  process.chdir(ORIGINAL_CWD);
  rmSync(tmp, { recursive: true, force: true });
});

function fixture(name: string, options: Partial<ResolveOptions> = {}): DevcontainerPlan {
  return resolveDevcontainer({ workspaceFolder: path.join(FIXTURES, name), env: {}, ...options });
}

function dockerfilePlan(plan: DevcontainerPlan): DockerfilePlan {
  if (plan.kind !== 'dockerfile') throw new Error(`expected a Dockerfile plan, got ${plan.kind}`);
  return plan;
}

/** A workspace holding `.devcontainer/devcontainer.json` with this text and a Dockerfile. */
function workspace(json: string): string {
  const root = mkdtempSync(path.join(tmp, 'ws-'));
  mkdirSync(path.join(root, '.devcontainer'));
  writeFileSync(path.join(root, '.devcontainer', 'devcontainer.json'), json);
  writeFileSync(path.join(root, '.devcontainer', 'Dockerfile'), 'FROM scratch\n');
  return root;
}

function inline(json: string, env: NodeJS.ProcessEnv = {}): DevcontainerPlan {
  return resolveDevcontainer({ workspaceFolder: workspace(json), env });
}

describe('resolveDevcontainer with the fixtures', () => {
  it('reads the nested build keys; the default context is the Dockerfile folder', () => {
    const dir = `${FIXTURES}/nested/.devcontainer`;

    expect(fixture('nested')).toEqual({
      kind: 'dockerfile',
      configFile: `${dir}/devcontainer.json`,
      dockerfile: `${dir}/Dockerfile`,
      context: dir,
      args: { VARIANT: 'bookworm', PORT: '3000', DEBUG: 'true' },
      target: 'dev',
      cacheFrom: ['ghcr.io/acme/app:cache'],
      options: ['--add-host', 'db.internal:10.0.0.2', '--network=host'],
      warnings: [],
    });
  });

  it('reads the legacy dockerFile and context keys next to build.args and build.cacheFrom', () => {
    expect(fixture('legacy')).toEqual({
      kind: 'dockerfile',
      configFile: `${FIXTURES}/legacy/.devcontainer/devcontainer.json`,
      dockerfile: `${FIXTURES}/legacy/.devcontainer/Dockerfile`,
      context: `${FIXTURES}/legacy`,
      args: { FROM_LEGACY: 'yes' },
      cacheFrom: ['ghcr.io/acme/a:1', 'ghcr.io/acme/b:1'],
      options: [],
      warnings: [],
    });
  });

  it('lets the nested keys win over the legacy ones, with a warning for each', () => {
    const plan = dockerfilePlan(fixture('legacy-and-nested'));

    expect(plan.dockerfile).toBe(`${FIXTURES}/legacy-and-nested/.devcontainer/Dockerfile`);
    expect(plan.context).toBe(`${FIXTURES}/legacy-and-nested/.devcontainer`);
    expect(plan.warnings).toEqual([
      'build.dockerfile and dockerFile are both set; ona-build uses build.dockerfile, ' +
        'the dev container CLI dockerFile',
      'build.context and context are both set; ona-build uses build.context, ' +
        'the dev container CLI context',
    ]);
  });

  it.each([
    ['relative-context', 'relative-context', 'relative-context/.devcontainer/Dockerfile'],
    ['root-file', 'root-file', 'root-file/Dockerfile'],
    ['one-named', 'one-named/.devcontainer/app', 'one-named/.devcontainer/app/Dockerfile'],
  ])('resolves %s relative to its devcontainer.json', (name, context, dockerfile) => {
    const plan = dockerfilePlan(fixture(name));

    expect(plan.context).toBe(`${FIXTURES}/${context}`);
    expect(plan.dockerfile).toBe(`${FIXTURES}/${dockerfile}`);
    expect(plan.warnings).toEqual([]);
  });

  it("builds from the Dockerfile's folder when no context is set, and says so", () => {
    const plan = dockerfilePlan(fixture('dockerfile-elsewhere'));

    expect(plan.dockerfile).toBe(`${FIXTURES}/dockerfile-elsewhere/docker/Dockerfile`);
    expect(plan.context).toBe(`${FIXTURES}/dockerfile-elsewhere/docker`);
    expect(plan.warnings).toEqual([
      `no build context set; using the Dockerfile's folder ` +
        `${FIXTURES}/dockerfile-elsewhere/docker ` +
        'as the dev container CLI does (the dev container spec documents the folder of ' +
        'devcontainer.json instead)',
    ]);
  });

  describe('C21: backend and frontend configurations, resolved from an unrelated folder', () => {
    const repo = `${FIXTURES}/c21/repo`;

    it.each([
      ['backend', `${repo}/docker/dev.Dockerfile`, repo],
      ['frontend', `${repo}/.devcontainer/frontend/Dockerfile`, `${repo}/web`],
    ])('%s', (name, dockerfile, context) => {
      const configFile = `${repo}/.devcontainer/${name}/devcontainer.json`;

      const plan = dockerfilePlan(fixture('c21/repo', { configFile }));

      expect(process.cwd()).toBe(os.tmpdir());
      expect(plan).toMatchObject({ configFile, dockerfile, context, warnings: [] });
    });

    it('anchors ${localWorkspaceFolder} at an absolute path when given a relative folder', () => {
      process.chdir(`${FIXTURES}/c21`);
      try {
        const configFile = 'repo/.devcontainer/frontend/devcontainer.json';

        const plan = dockerfilePlan(
          resolveDevcontainer({ workspaceFolder: 'repo', configFile, env: {} }),
        );

        expect(plan.context).toBe(`${repo}/web`);
      } finally {
        process.chdir(os.tmpdir());
      }
    });

    it('asks which one to use when none is given', () => {
      expect(() => fixture('c21/repo')).toThrow(/2 dev container configurations.*--config/s);
    });
  });

  it('substitutes variables the way the dev container CLI does, warning where it differs', () => {
    const env = { ONA_TEST_USER: 'dev', ONA_TEST_EMPTY: '' };

    const plan = dockerfilePlan(fixture('variables', { env }));

    expect(plan.context).toBe(`${FIXTURES}/variables`);
    expect(plan.args).toEqual({
      USER_NAME: 'dev',
      SAME_BY_ENV: 'dev',
      REGION: 'eu-west-1',
      MIRROR: 'https://mirror.example.com:8443/simple',
      MISSING: '',
      SET_EMPTY: '',
      PROJECT: 'variables',
      TWICE: 'dev@variables',
      IN_CONTAINER: '${containerEnv:PATH}',
      ID: '${devcontainerId}',
      REMOTE: '${containerWorkspaceFolder}/src',
    });
    expect(plan.warnings).toEqual([
      expect.stringContaining('${localEnv:ONA_TEST_MIRROR:...}: ONA_TEST_MIRROR is not set'),
      '${localEnv:ONA_TEST_MISSING}: ONA_TEST_MISSING is not set, so it becomes an empty string',
      '${containerWorkspaceFolder} is left as it is; the dev container CLI would substitute it',
    ]);
  });

  it('passes comment-like text inside strings through as build args (C20)', () => {
    expect(dockerfilePlan(fixture('jsonc-c20')).args).toEqual({
      MIRROR: 'https://mirror.example.com//pypi/simple',
      NOTE: 'a /* not a comment */ b',
    });
  });

  it('reports a malformed file by path, line and column', () => {
    const file = `${FIXTURES}/malformed/.devcontainer/devcontainer.json`;

    expect(() => fixture('malformed')).toThrow(`${file}:4:3: malformed JSONC: InvalidSymbol`);
  });

  it('plans an image-based configuration', () => {
    expect(fixture('image')).toEqual({
      kind: 'image',
      configFile: `${FIXTURES}/image/.devcontainer/devcontainer.json`,
      image: 'localhost:5000/base/busybox:1',
      warnings: [],
    });
  });

  it.each([
    ['compose', 'compose', /uses Docker Compose \(dockerComposeFile\)/],
    ['features', 'features', /ghcr\.io\/devcontainers\/features\/node:1, ghcr\.io\/.*github-cli:1/],
  ])('refuses the %s fixture and points at the dev container CLI', (name, reason, detail) => {
    const plan = fixture(name);

    expect(plan).toMatchObject({ kind: 'unsupported', reason });
    if (plan.kind !== 'unsupported') return;
    expect(plan.message).toMatch(detail);
    expect(plan.message).toContain('not support');
    expect(plan.message).toContain('`ona-build exec -- devcontainer build ...`');
  });

  it('C12: resolves a build arg taken from the caller environment', () => {
    const plan = dockerfilePlan(fixture('c12', { env: { NPM_TOKEN: 'npm_fake_123' } }));

    expect(plan.args).toEqual({ NPM_TOKEN: 'npm_fake_123', NODE_ENV: 'development' });
    expect(plan.warnings).toEqual([]);
  });

  it('C12: an unset variable becomes an empty arg and a warning', () => {
    const plan = dockerfilePlan(fixture('c12'));

    expect(plan.args).toEqual({ NPM_TOKEN: '', NODE_ENV: 'development' });
    expect(plan.warnings).toEqual([
      '${localEnv:NPM_TOKEN}: NPM_TOKEN is not set, so it becomes an empty string',
    ]);
  });

  it('C24: shell metacharacters, quotes and an empty value arrive as exact argv elements', () => {
    const plan = dockerfilePlan(fixture('c24'));
    const dir = `${FIXTURES}/c24/.devcontainer`;

    expect(toBuildxArgs(plan)).toEqual([
      '-f',
      `${dir}/Dockerfile`,
      '--build-arg',
      `GREETING=Hello & world; $(id) "quoted" 'single'`,
      '--build-arg',
      'EMPTY=',
      dir,
    ]);
  });
});

describe('resolveDevcontainer with small configurations', () => {
  it.each([
    [
      'the build arg types',
      '{"build": {"dockerfile": "Dockerfile", "args": {"N": 1.5, "B": false}}}',
      { args: { N: '1.5', B: 'false' } },
    ],
    [
      'an empty context, target and cacheFrom',
      '{"build": {"dockerfile": "Dockerfile", "context": "", "target": "", "cacheFrom": ""}}',
      { cacheFrom: [] },
    ],
    [
      'an absolute Dockerfile path',
      '{"build": {"dockerfile": "${localWorkspaceFolder}/.devcontainer/Dockerfile"}}',
      {},
    ],
    [
      'a Dockerfile next to dockerComposeFile, as upstream builds it',
      '{"build": {"dockerfile": "Dockerfile"}, "dockerComposeFile": "x.yml"}',
      {},
    ],
    ['a Dockerfile next to an image', '{"image": "alpine", "dockerFile": "Dockerfile"}', {}],
    ['empty features', '{"build": {"dockerfile": "Dockerfile"}, "features": {}}', {}],
    ['null features', '{"build": {"dockerfile": "Dockerfile"}, "features": null}', {}],
  ])('accepts %s', (_, json, expected) => {
    const root = workspace(json);

    const plan = dockerfilePlan(resolveDevcontainer({ workspaceFolder: root, env: {} }));

    expect(plan).toMatchObject({
      dockerfile: `${root}/.devcontainer/Dockerfile`,
      context: `${root}/.devcontainer`,
      warnings: [],
      ...expected,
    });
    expect(plan).not.toHaveProperty('target');
  });

  it.each([
    [
      'build.context next to the legacy dockerFile',
      '{"dockerFile": "Dockerfile", "build": {"context": ".."}}',
      '',
      'ona-build uses build.context; the dev container CLI ignores it when the top-level ' +
        'dockerFile is set',
    ],
    [
      'the legacy context next to build.dockerfile',
      '{"build": {"dockerfile": "Dockerfile"}, "context": ".."}',
      '',
      'ona-build uses the top-level context; the dev container CLI ignores it unless',
    ],
    [
      'both contexts next to build.dockerfile',
      '{"build": {"dockerfile": "Dockerfile", "context": ".."}, "context": "."}',
      '',
      'build.context and context are both set; ona-build uses build.context',
    ],
  ])('uses %s and warns that upstream would not', (_, json, context, warning) => {
    const root = workspace(json);

    const plan = dockerfilePlan(resolveDevcontainer({ workspaceFolder: root, env: {} }));

    expect(plan.context).toBe(path.join(root, context));
    expect(plan.warnings).toEqual([expect.stringContaining(warning)]);
  });

  it('plans an image with substituted variables and ignores features set to {}', () => {
    const plan = inline('{"image": "${localEnv:REG:localhost:5000}/app:1", "features": {}}', {
      REG: 'reg.example.com',
    });

    expect(plan).toMatchObject({ kind: 'image', image: 'reg.example.com/app:1', warnings: [] });
  });

  it('refuses Docker Compose before looking at the image or features', () => {
    const json = '{"image": "alpine", "dockerComposeFile": "x.yml", "features": {"a": {}}}';

    expect(inline(json)).toMatchObject({ kind: 'unsupported', reason: 'compose' });
  });

  it('refuses features on an image configuration', () => {
    const json = '{"image": "alpine", "features": {"ghcr.io/x/y:1": true}}';

    expect(inline(json)).toMatchObject({ kind: 'unsupported', reason: 'features' });
  });

  it('ignores variables outside the properties a build uses', () => {
    const json =
      '{"image": "alpine", "postCreateCommand": "${localEnv}", ' +
      '"remoteEnv": {"A": "${localEnv:NOPE}"}}';

    expect(inline(json)).toMatchObject({ kind: 'image', warnings: [] });
  });

  it.each([
    [
      'a top level without a kind',
      '{"name": "x"}',
      'needs one of image, build.dockerfile or dockerComposeFile',
    ],
    ['build as a string', '{"build": "Dockerfile"}', 'build must be an object'],
    [
      'a missing Dockerfile',
      '{"build": {"dockerfile": "Nope"}}',
      '.devcontainer/Nope (from "Nope") does not exist',
    ],
    [
      'a missing context',
      '{"build": {"dockerfile": "Dockerfile", "context": "nope"}}',
      '.devcontainer/nope does not exist or is not a folder',
    ],
    [
      'a file as context',
      '{"build": {"dockerfile": "Dockerfile", "context": "Dockerfile"}}',
      'is not a folder',
    ],
    [
      'an empty dockerfile',
      '{"build": {"dockerfile": ""}}',
      'build.dockerfile must name a Dockerfile',
    ],
    ['a number as dockerfile', '{"build": {"dockerfile": 1}}', 'build.dockerfile must be a string'],
    ['a number as dockerFile', '{"dockerFile": 1}', 'dockerFile must be a string'],
    [
      'a number as context',
      '{"build": {"dockerfile": "Dockerfile", "context": 2}}',
      'build.context must be a string',
    ],
    [
      'a null build arg',
      '{"build": {"dockerfile": "Dockerfile", "args": {"TOKEN": null}}}',
      'build.args.TOKEN must be a string, number or boolean',
    ],
    [
      'an object build arg',
      '{"build": {"dockerfile": "Dockerfile", "args": {"O": {}}}}',
      'build.args.O must be',
    ],
    [
      'build args as a list',
      '{"build": {"dockerfile": "Dockerfile", "args": ["A=1"]}}',
      'build.args must be an object',
    ],
    [
      'a build arg name with =',
      '{"build": {"dockerfile": "Dockerfile", "args": {"A=B": "c"}}}',
      `name that is empty or contains '='`,
    ],
    [
      'an empty build arg name',
      '{"build": {"dockerfile": "Dockerfile", "args": {"": "c"}}}',
      `name that is empty or contains '='`,
    ],
    [
      'options as a string',
      '{"build": {"dockerfile": "Dockerfile", "options": "--network=host"}}',
      'build.options must be a list of strings',
    ],
    [
      'a number in options',
      '{"build": {"dockerfile": "Dockerfile", "options": ["--shm-size", 1]}}',
      'build.options must be a list of strings',
    ],
    [
      'cacheFrom as a number',
      '{"build": {"dockerfile": "Dockerfile", "cacheFrom": 1}}',
      'build.cacheFrom must be a string or a list of strings',
    ],
    [
      'a number as target',
      '{"build": {"dockerfile": "Dockerfile", "target": 1}}',
      'build.target must be a string',
    ],
    [
      '${localEnv} in a build arg',
      '{"build": {"dockerfile": "Dockerfile", "args": {"A": "${localEnv}"}}}',
      '${localEnv} names no environment variable',
    ],
    ['an empty image', '{"image": ""}', 'image must name an image'],
    ['a number as image', '{"image": 5}', 'image must name an image'],
    [
      'features as a string',
      '{"image": "alpine", "features": "node"}',
      'features must be an object',
    ],
    [
      'features as a list',
      '{"image": "alpine", "features": ["node"]}',
      'features must be an object',
    ],
  ])('refuses %s', (_, json, message) => {
    const root = workspace(json);
    const configFile = `${root}/.devcontainer/devcontainer.json`;

    const resolve = () => resolveDevcontainer({ workspaceFolder: root, env: {} });

    expect(resolve).toThrow(OnaBuildError);
    expect(resolve).toThrow(`${configFile}: `);
    expect(resolve).toThrow(message);
  });

  it('names the build arg, never its value, when one is invalid', () => {
    const json = '{"build": {"dockerfile": "Dockerfile", "args": {"TOKEN": ["s3cr3t-v4lue"]}}}';

    expect(() => inline(json)).toThrow(/^(?!.*s3cr3t-v4lue).*build\.args\.TOKEN/s);
  });
});
