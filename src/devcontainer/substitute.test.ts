import { describe, expect, it } from 'vitest';

import { OnaBuildError } from '../errors.js';
import { substitute, type SubstitutionContext } from './substitute.js';

const CONTEXT: SubstitutionContext = {
  localWorkspaceFolder: '/home/dev/src/my-app',
  env: { NPM_TOKEN: 'npm_fake_123', EMPTY: '', HOME: '/home/dev', URL: 'https://a.example:8443/x' },
  configFile: '/home/dev/src/my-app/.devcontainer/devcontainer.json',
};

function text(template: string): string {
  return substitute(template, CONTEXT).value;
}

function warnings(template: string): string[] {
  return substitute(template, CONTEXT).warnings;
}

describe('substitute', () => {
  it.each([
    ['${localEnv:NPM_TOKEN}', 'npm_fake_123'],
    ['${env:NPM_TOKEN}', 'npm_fake_123'],
    ['${localEnv:URL}', 'https://a.example:8443/x'],
    ['${localEnv:MISSING}', ''],
    ['${localEnv:}', ''],
    ['${localEnv:MISSING:fallback}', 'fallback'],
    ['${localEnv:MISSING:}', ''],
    ['${localEnv:EMPTY:fallback}', ''],
    ['${localEnv:NPM_TOKEN:fallback}', 'npm_fake_123'],
    [
      '${localEnv:MISSING:https://mirror.example.com:8443/simple}',
      'https://mirror.example.com:8443/simple',
    ],
    ['${localWorkspaceFolder}', '/home/dev/src/my-app'],
    ['${localWorkspaceFolder}/web', '/home/dev/src/my-app/web'],
    ['${localWorkspaceFolderBasename}', 'my-app'],
    ['${localWorkspaceFolderBasename:ignored}', 'my-app'],
    ['a-${localEnv:NPM_TOKEN}-b-${localWorkspaceFolderBasename}-c', 'a-npm_fake_123-b-my-app-c'],
    ['${containerEnv:PATH}', '${containerEnv:PATH}'],
    ['${containerEnv:PATH:/bin}', '${containerEnv:PATH:/bin}'],
    ['${devcontainerId}', '${devcontainerId}'],
    ['${containerWorkspaceFolder}/src', '${containerWorkspaceFolder}/src'],
    ['${localHomeFolder}', '${localHomeFolder}'],
    ['${LOCALENV:NPM_TOKEN}', '${LOCALENV:NPM_TOKEN}'],
    ['${}', '${}'],
    ['$NPM_TOKEN and $(id) and ${NPM_TOKEN}', '$NPM_TOKEN and $(id) and ${NPM_TOKEN}'],
    ['${localEnv:NPM_TOKEN', '${localEnv:NPM_TOKEN'],
    ['no variables at all', 'no variables at all'],
  ])('turns %j into %j', (template, expected) => {
    expect(text(template)).toBe(expected);
  });

  it('does not substitute again inside a substituted value', () => {
    const env = { A: '${localEnv:B}', B: 'secret-b' };

    expect(substitute('${localEnv:A}', { ...CONTEXT, env }).value).toBe('${localEnv:B}');
  });

  it('replaces strings at any depth and leaves keys and other values alone', () => {
    const value = {
      '${localEnv:NPM_TOKEN}': 'key stays',
      list: ['${localWorkspaceFolderBasename}', 3, true, null, ['${localEnv:NPM_TOKEN}']],
      nested: { deep: { port: 8080, on: false, path: '${localWorkspaceFolder}/x' } },
    };

    expect(substitute(value, CONTEXT).value).toEqual({
      '${localEnv:NPM_TOKEN}': 'key stays',
      list: ['my-app', 3, true, null, ['npm_fake_123']],
      nested: { deep: { port: 8080, on: false, path: '/home/dev/src/my-app/x' } },
    });
  });

  it('does not change the value it was given', () => {
    const value = { args: { A: '${localEnv:NPM_TOKEN}' } };

    substitute(value, CONTEXT);

    expect(value.args.A).toBe('${localEnv:NPM_TOKEN}');
  });

  it.each([
    ['${localEnv:NPM_TOKEN}', []],
    ['${localEnv:MISSING:fallback}', []],
    ['${containerEnv:PATH}', []],
    ['${devcontainerId}', []],
    [
      '${localEnv:MISSING}',
      ['${localEnv:MISSING}: MISSING is not set, so it becomes an empty string'],
    ],
    [
      '${localEnv:MISSING:https://x.example:1/}',
      [
        "${localEnv:MISSING:...}: MISSING is not set and its default contains ':'; " +
          'ona-build uses the whole default, ' +
          "the dev container CLI only the part before the first ':'",
      ],
    ],
    [
      '${containerWorkspaceFolder}',
      ['${containerWorkspaceFolder} is left as it is; the dev container CLI would substitute it'],
    ],
  ])('warns about %j: %j', (template, expected) => {
    expect(warnings(template)).toEqual(expected);
  });

  it('warns once about a variable used several times', () => {
    const value = ['${localEnv:MISSING}', '${localEnv:MISSING}-x'];

    expect(substitute(value, CONTEXT).warnings).toHaveLength(1);
  });

  it('never puts an environment value or a default into a warning', () => {
    const value = ['${localEnv:NPM_TOKEN}', '${localEnv:GONE:https://user:pw-9f2@host/}'];
    const all = substitute(value, CONTEXT).warnings.join('\n');

    expect(all).not.toContain('npm_fake_123');
    expect(all).not.toContain('pw-9f2');
  });

  it.each([
    ['${localEnv}', '${localEnv}'],
    ['${env}', '${env}'],
    ['prefix ${localEnv} suffix', '${localEnv}'],
  ])('refuses %j, which names no variable', (template, shown) => {
    const expected = `${CONTEXT.configFile}: ${shown} names no environment variable`;

    expect(() => text(template)).toThrow(OnaBuildError);
    expect(() => text(template)).toThrow(expected);
  });
});
