import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { OnaBuildError, UsageError } from '../errors.js';
import { findDevcontainerConfig } from './find-config.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/devcontainer/', import.meta.url));
const ORIGINAL_CWD = process.cwd();

let tmp: string;

/** A workspace in a temporary folder with these files, each holding `{}`. */
function workspace(files: string[]): string {
  const root = mkdtempSync(path.join(tmp, 'ws-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '{}');
  }
  return root;
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ona-devcontainer-find-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

afterEach(() => {
  process.chdir(ORIGINAL_CWD);
});

describe('findDevcontainerConfig', () => {
  it.each([
    ['nested', '.devcontainer/devcontainer.json'],
    ['root-file', '.devcontainer.json'],
    ['one-named', '.devcontainer/app/devcontainer.json'],
  ])('finds the configuration of the %s fixture', (fixture, expected) => {
    process.chdir(os.tmpdir());

    expect(findDevcontainerConfig(`${FIXTURES}${fixture}`)).toBe(
      `${FIXTURES}${fixture}/${expected}`,
    );
  });

  it.each([
    [
      [
        '.devcontainer/devcontainer.json',
        '.devcontainer.json',
        '.devcontainer/a/devcontainer.json',
      ],
      '.devcontainer/devcontainer.json',
    ],
    [['.devcontainer.json', '.devcontainer/a/devcontainer.json'], '.devcontainer.json'],
    [
      ['.devcontainer/a/devcontainer.json', '.devcontainer/b/Dockerfile'],
      '.devcontainer/a/devcontainer.json',
    ],
  ])('prefers the first of %j', (files, expected) => {
    const root = workspace(files);

    expect(findDevcontainerConfig(root)).toBe(path.join(root, expected));
  });

  it('resolves a relative workspace folder against the current directory', () => {
    process.chdir(FIXTURES);

    expect(findDevcontainerConfig('root-file')).toBe(`${FIXTURES}root-file/.devcontainer.json`);
  });

  it('lists several named configurations and suggests --config', () => {
    process.chdir(`${FIXTURES}c21`);
    const root = `${FIXTURES}c21/repo`;

    expect(() => findDevcontainerConfig(root)).toThrow(
      `${root}: 2 dev container configurations; choose one with --config:\n` +
        '  --config repo/.devcontainer/backend/devcontainer.json\n' +
        '  --config repo/.devcontainer/frontend/devcontainer.json',
    );
  });

  it('shows absolute, shell-quoted paths for configurations outside the current folder', () => {
    const root = workspace([
      "it's/.devcontainer/a/devcontainer.json",
      "it's/.devcontainer/b/devcontainer.json",
    ]);
    process.chdir(FIXTURES);

    expect(() => findDevcontainerConfig(path.join(root, "it's"))).toThrow(
      `--config '${root}/it'\\''s/.devcontainer/a/devcontainer.json'`,
    );
  });

  it.each([
    [[]],
    [['.devcontainer/Dockerfile']],
    [['.devcontainer/a/b/devcontainer.json', 'devcontainer.json']],
  ])('names the folder when it holds no configuration: %j', (files) => {
    const root = workspace(files);

    const find = () => findDevcontainerConfig(root);

    expect(find).toThrow(OnaBuildError);
    expect(find).toThrow(`${root}: no dev container configuration: looked for`);
  });

  it('refuses a workspace folder that does not exist', () => {
    const missing = path.join(tmp, 'missing');

    expect(() => findDevcontainerConfig(missing)).toThrow(UsageError);
    expect(() => findDevcontainerConfig(missing)).toThrow(`workspace folder ${missing} does not`);
  });

  describe('with --config', () => {
    it('resolves it against the current directory, not the workspace folder', () => {
      process.chdir(`${FIXTURES}c21/repo`);

      const found = findDevcontainerConfig(
        '/nonexistent',
        '.devcontainer/backend/devcontainer.json',
      );

      expect(found).toBe(`${FIXTURES}c21/repo/.devcontainer/backend/devcontainer.json`);
    });

    it('takes it over the well-known places', () => {
      const config = `${FIXTURES}image/.devcontainer/devcontainer.json`;

      expect(findDevcontainerConfig(`${FIXTURES}nested`, config)).toBe(config);
    });

    it.each(['missing.json', '.devcontainer'])('refuses %s, which is not a file', (name) => {
      process.chdir(`${FIXTURES}nested`);

      expect(() => findDevcontainerConfig('.', name)).toThrow(UsageError);
      expect(() => findDevcontainerConfig('.', name)).toThrow(`--config ${name}: no such file`);
    });
  });
});
