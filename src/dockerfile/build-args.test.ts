import { describe, expect, it } from 'vitest';

import { checkBuildArgs, describeBuildArgProblem, type BuildArgSecret } from './build-args.js';

const CANARY = 'npm_fake_123-CANARY-never-printed';

function secret(name: string, value: string, scopeLabel = 'organization acme'): BuildArgSecret {
  return { name, value: Buffer.from(value), scopeLabel };
}

describe('checkBuildArgs', () => {
  it('refuses an argument that carries a secret value, and passes NODE_ENV (C12)', () => {
    const problems = checkBuildArgs({ NPM_TOKEN: CANARY, NODE_ENV: 'development' }, [
      secret('NPM_TOKEN', CANARY),
    ]);

    expect(problems).toEqual([
      {
        arg: 'NPM_TOKEN',
        reason: 'equals-secret',
        secretName: 'NPM_TOKEN',
        secretScope: 'organization acme',
      },
    ]);
  });

  it('compares bytes, whatever the argument is called', () => {
    const problems = checkBuildArgs({ CONFIG: 'é-value', OTHER: 'e\u0301-value' }, [
      { name: 'accent', value: Buffer.from('é-value', 'utf8'), scopeLabel: 'project acme/web' },
    ]);

    expect(problems.map((problem) => [problem.arg, problem.reason])).toEqual([
      ['CONFIG', 'equals-secret'],
    ]);
  });

  it('refuses an argument that contains a secret value of 8 bytes or more', () => {
    const problems = checkBuildArgs(
      { NPMRC: `//registry.example.com/:_authToken=${CANARY}`, REGION: 'europe-west1' },
      [secret('NPM_TOKEN', CANARY), secret('region', 'eu')],
    );

    expect(problems.map((problem) => [problem.arg, problem.reason])).toEqual([
      ['NPMRC', 'contains-secret'],
    ]);
  });

  it('skips empty values on both sides', () => {
    expect(checkBuildArgs({ EMPTY: '', NPM_TOKEN: '' }, [secret('empty', '')])).toEqual([]);
    expect(checkBuildArgs({ GREETING: 'hello' }, [secret('empty', '')])).toEqual([]);
  });

  it.each([
    'NPM_TOKEN',
    'github_token',
    'TokenFile',
    'DB_PASSWORD',
    'password',
    'MYSQL_ROOT_PASSWD',
    'CLIENT_SECRET',
    'SECRETS_DIR',
    'AWS_ACCESS_KEY',
    'ssh_key',
    'APIKEY',
    'x_apikey_v2',
  ])('flags the credential-like name %s', (arg) => {
    expect(checkBuildArgs({ [arg]: 'some-value' }, [])).toEqual([
      { arg, reason: 'credential-name' },
    ]);
  });

  it.each(['NODE_ENV', 'GREETING', 'KEYBOARD', 'KEY_ID', 'MONKEY', 'PASS', 'AUTHOR'])(
    'lets %s through',
    (arg) => {
      expect(checkBuildArgs({ [arg]: 'some-value' }, [])).toEqual([]);
    },
  );
});

describe('describeBuildArgProblem', () => {
  it.each([
    [
      {
        arg: 'NPM_TOKEN',
        reason: 'equals-secret',
        secretName: 'NPM_TOKEN',
        secretScope: 'organization acme',
      },
      'build argument NPM_TOKEN equals the value of secret NPM_TOKEN (organization acme): ' +
        'build arguments are stored in the image history and provenance; ' +
        'mount it instead: RUN --mount=type=secret,id=NPM_TOKEN ' +
        'NPM_TOKEN="$(cat /run/secrets/NPM_TOKEN)" ... (with Dockerfile syntax 1.10 or later: ' +
        '--mount=type=secret,id=NPM_TOKEN,env=NPM_TOKEN)',
    ],
    [
      {
        arg: 'NPMRC',
        reason: 'contains-secret',
        secretName: 'npm',
        secretScope: 'project acme/web',
      },
      'build argument NPMRC contains the value of secret npm (project acme/web): ' +
        'build arguments are stored in the image history and provenance; ' +
        'mount the secret instead: RUN --mount=type=secret,id=npm npm="$(cat /run/secrets/npm)" ' +
        '... (with Dockerfile syntax 1.10 or later: --mount=type=secret,id=npm,env=npm)',
    ],
    [
      { arg: 'DB_PASSWORD', reason: 'credential-name' },
      'build argument DB_PASSWORD looks like a credential: ' +
        'build arguments are stored in the image history and provenance; ' +
        'store it as a secret and mount it instead: ' +
        'RUN --mount=type=secret,id=DB_PASSWORD DB_PASSWORD="$(cat /run/secrets/DB_PASSWORD)" ' +
        '... (with Dockerfile syntax 1.10 or later: ' +
        '--mount=type=secret,id=DB_PASSWORD,env=DB_PASSWORD)',
    ],
    [
      { arg: 'CFG', reason: 'contains-secret', secretName: 'db.pass' },
      'build argument CFG contains the value of secret db.pass: ' +
        'build arguments are stored in the image history and provenance; ' +
        'mount the secret instead: RUN --mount=type=secret,id=db.pass ... ' +
        '(the step reads /run/secrets/db.pass)',
    ],
  ] as const)('describes %j', (problem, message) => {
    expect(describeBuildArgProblem(problem)).toBe(message);
  });

  it('never prints a value', () => {
    const args = { NPM_TOKEN: CANARY, NPMRC: `x=${CANARY}`, API_TOKEN: CANARY.slice(3) };
    const messages = checkBuildArgs(args, [secret('NPM_TOKEN', CANARY)]).map(
      describeBuildArgProblem,
    );

    expect(messages).toHaveLength(3);
    for (const message of messages) expect(message).not.toContain('CANARY');
  });
});
