import { describe, expect, it } from 'vitest';

import { analyzeDockerfile } from './analyze.js';
import { checkSecretMounts, describeMissing, type AvailableSecret } from './check.js';

const ORG = 'organization acme';
const PROJECT = 'project acme/web';
const SCOPES = [ORG, PROJECT];
const BASE = 'FROM localhost:5000/base/busybox:1\n';

function check(dockerfile: string, available: readonly AvailableSecret[]) {
  return checkSecretMounts(analyzeDockerfile(BASE + dockerfile), available);
}

function env(name: string, scopeLabel = ORG): AvailableSecret {
  return { name, type: 'env', scopeLabel };
}

function file(name: string, mount: string, scopeLabel = PROJECT): AvailableSecret {
  return { name, type: 'file', mount, scopeLabel };
}

const C01 =
  'RUN --mount=type=secret,id=NPM_TOKEN,env=NPM_TOKEN \\\n' +
  `    sh -c 'test -n "$NPM_TOKEN" || { echo missing; exit 1; }'\n`;

describe('checkSecretMounts', () => {
  it('reports a missing optional secret with the scopes searched (C01)', () => {
    const result = check(C01, [env('npm_token')]);

    expect(result.missingRequired).toEqual([]);
    expect(result.missingOptional).toEqual([{ id: 'NPM_TOKEN', line: 2, env: 'NPM_TOKEN' }]);
    expect(describeMissing(result, SCOPES)).toBe(
      'Dockerfile line 2 mounts secret "NPM_TOKEN" (optional) but no scope provides it ' +
        '(searched: organization acme, project acme/web); ' +
        'the step runs with NPM_TOKEN set to an empty value',
    );
  });

  it('reports a missing required secret as an error line (C01)', () => {
    const result = check(C01.replace('env=NPM_TOKEN', 'env=NPM_TOKEN,required'), []);

    expect(result.missingRequired).toEqual([{ id: 'NPM_TOKEN', line: 2, env: 'NPM_TOKEN' }]);
    expect(result.missingOptional).toEqual([]);
    expect(describeMissing(result, SCOPES)).toBe(
      'Dockerfile line 2 mounts secret "NPM_TOKEN" (required) but no scope provides it ' +
        '(searched: organization acme, project acme/web)',
    );
  });

  it('says why a secret that exists is missing: precedence dropped it for another', () => {
    const result = check('RUN --mount=type=secret,id=orgnpmrc,required true\n', []);
    const dropped = new Map([['orgnpmrc', 'npmrc (project acme/web) overrides orgnpmrc (...)']]);

    expect(describeMissing(result, SCOPES, dropped)).toBe(
      'Dockerfile line 2 mounts secret "orgnpmrc" (required) but precedence drops it ' +
        '(npmrc (project acme/web) overrides orgnpmrc (...))',
    );
  });

  it('lists required ones first, one line each, and says when no scope was searched', () => {
    const result = check(
      'RUN --mount=type=secret,id=opt true\nRUN --mount=type=secret,id=req,required true\n',
      [],
    );

    expect(describeMissing(result, []).split('\n')).toEqual([
      'Dockerfile line 3 mounts secret "req" (required) but no scope provides it ' +
        '(searched: no scope)',
      'Dockerfile line 2 mounts secret "opt" (optional) but no scope provides it ' +
        '(searched: no scope); the step runs without it',
    ]);
  });

  it('treats an id as required when any step requires it, at that step', () => {
    const result = check(
      'RUN --mount=type=secret,id=tok true\nRUN --mount=type=secret,id=tok,required true\n',
      [],
    );

    expect(result.missingRequired).toEqual([{ id: 'tok', line: 3 }]);
    expect(result.missingOptional).toEqual([]);
  });

  it('matches ids byte for byte: case, dots and dashes kept (C10)', () => {
    const dockerfile =
      'RUN --mount=type=secret,id=netrc,required --mount=type=secret,id=pip-conf,required \\\n' +
      '    --mount=type=secret,id=aws.credentials,required true\n' +
      'RUN --mount=type=secret,id=NPM_TOKEN --mount=type=secret,id=npm_token true\n';
    const available = [
      env('NETRC'),
      env('pip_conf'),
      env('aws.credentials'),
      env('NPM_TOKEN'),
      env('npm_token', PROJECT),
    ];
    const result = check(dockerfile, available);

    expect(result.missingRequired.map((missing) => missing.id)).toEqual(['netrc', 'pip-conf']);
    expect(result.referencedNames).toEqual(['aws.credentials', 'NPM_TOKEN', 'npm_token']);
  });

  it('lets a file secret answer to the base name of its mount (C04)', () => {
    const dockerfile =
      'RUN --mount=type=secret,target=/root/.npmrc,required true\n' +
      'RUN --mount=type=secret,target=/etc/pip/pip.conf,required true\n';
    const result = check(dockerfile, [file('npmrc', '/root/.npmrc'), file('pip.conf', '/x/y')]);

    expect(result.aliases).toEqual([{ id: '.npmrc', secretName: 'npmrc' }]);
    expect(result.referencedNames).toEqual(['npmrc', 'pip.conf']);
    expect(result.missingRequired).toEqual([]);
    expect(result.notices).toEqual([]);
  });

  it('prefers the secret named like the id over a file mounted at that base name', () => {
    const result = check('RUN --mount=type=secret,id=.npmrc true\n', [
      file('npmrc', '/root/.npmrc'),
      file('.npmrc', '/home/node/.npmrc', ORG),
    ]);

    expect(result.referencedNames).toEqual(['.npmrc']);
    expect(result.aliases).toEqual([]);
    expect(result.warnings).toEqual([
      'secret id ".npmrc" is answered by the secret of that name; file secret npmrc ' +
        '(project acme/web, /root/.npmrc), mounted at a path ending in the same name, ' +
        'is not used for it',
    ]);
  });

  it('says "are" when several files mounted at that base name are passed over', () => {
    const result = check('RUN --mount=type=secret,id=.npmrc true\n', [
      file('npmrc', '/root/.npmrc'),
      file('homenpmrc', '/home/dev/.npmrc'),
      file('.npmrc', '/home/node/.npmrc', ORG),
    ]);

    expect(result.warnings[0]).toMatch(/file secrets npmrc .*, homenpmrc .*, are not used for it$/);
  });

  it('does not guess between two files mounted at the same base name', () => {
    const result = check('RUN --mount=type=secret,id=config.json,required true\n', [
      file('a', '/a/config.json'),
      file('b', '/b/config.json', ORG),
    ]);

    expect(result.missingRequired.map((missing) => missing.id)).toEqual(['config.json']);
    expect(result.aliases).toEqual([]);
    expect(result.notices).toEqual([
      'secret id "config.json" matches the mount paths of file secrets ' +
        'a (project acme/web, /a/config.json), b (organization acme, /b/config.json); ' +
        'none is used: name the one to mount "config.json"',
    ]);
  });

  it('never mounts registry or api-only secrets, and says so', () => {
    const result = check('RUN --mount=type=secret,id=registry --mount=type=secret,id=api true\n', [
      { name: 'registry', type: 'registry', scopeLabel: ORG },
      { name: 'api', type: 'api-only', scopeLabel: PROJECT },
    ]);

    expect(result.missingOptional.map((missing) => missing.id)).toEqual(['registry', 'api']);
    expect(result.referencedNames).toEqual([]);
    expect(result.notices).toEqual([
      'secret "registry" (organization acme) is of type registry, which is never passed to a ' +
        'build as a secret mount',
      'secret "api" (project acme/web) is of type api-only, which is never passed to a build ' +
        'as a secret mount',
    ]);
  });

  it('lists each referenced name once, in the order the Dockerfile first uses it', () => {
    const dockerfile =
      'RUN --mount=type=secret,id=b --mount=type=secret,id=a true\n' +
      'RUN --mount=type=secret,id=a --mount=type=secret,target=/etc/b true\n';

    expect(check(dockerfile, [env('a'), env('b')]).referencedNames).toEqual(['b', 'a']);
  });
});
