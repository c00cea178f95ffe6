import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { UsageError } from '../errors.js';
import {
  checkLocalContext,
  csvFields,
  localDockerfilePath,
  readPassthrough,
  secretVariable,
} from './passthrough.js';

describe('readPassthrough', () => {
  it.each<[string, string[], string, string | undefined]>([
    ['a bare context', ['.'], '.', undefined],
    [
      'the context among value and boolean flags',
      ['-t', 'x', '-f', 'y', '--build-arg', 'A=1', '--load', '--progress=plain', '.'],
      '.',
      'y',
    ],
    ['the context before the flags', ['ctx', '--tag', 'app:1', '--push'], 'ctx', undefined],
    ['--file=Dockerfile', ['--file=Dockerfile', '.'], '.', 'Dockerfile'],
    ['--file Dockerfile', ['--file', 'Dockerfile', '.'], '.', 'Dockerfile'],
    ['-fDockerfile', ['-fDockerfile', '.'], '.', 'Dockerfile'],
    ['-f=Dockerfile, as pflag reads it', ['-f=Dockerfile.dev', '.'], '.', 'Dockerfile.dev'],
    ['the last -f when given twice', ['-f', 'a', '--file', 'b', '.'], '.', 'b'],
    [
      'a flag value that looks like a path',
      ['--iidfile', 'out', '--target', 'prod', 'app'],
      'app',
      undefined,
    ],
    ['a short -t glued to its value', ['-tapp:1', 'ctx'], 'ctx', undefined],
    ['bundled shorthands: -qt TAG', ['-qt', 'img', 'ctx'], 'ctx', undefined],
    ['bundled shorthands: -qf FILE', ['-qf', 'Dfile', 'ctx'], 'ctx', 'Dfile'],
    ['bundled shorthands with the value glued on', ['-qfDfile', 'ctx'], 'ctx', 'Dfile'],
    ['a value starting with a dash', ['--build-arg', '-x', '.'], '.', undefined],
    ['a boolean flag with =value', ['--load=true', '--pull', '.'], '.', undefined],
    ['stdin as the context', ['-f', 'Dockerfile', '-'], '-', 'Dockerfile'],
    [
      'a URL context',
      ['https://github.com/acme/app.git#main'],
      'https://github.com/acme/app.git#main',
      undefined,
    ],
    ['the context after --', ['--load', '--', '.'], '.', undefined],
    ['a dash-led context after --', ['-t', 'x', '--', '-weird-dir'], '-weird-dir', undefined],
  ])('finds %s', (_label, args, context, dockerfile) => {
    const info = readPassthrough(args);

    expect(info.context).toBe(context);
    expect(info.dockerfile).toBe(dockerfile);
  });

  it.each<[string, string[], string[]]>([
    ['no --secret', ['.'], []],
    ['id first', ['--secret', 'id=foo,src=bar', '.'], ['foo']],
    ['id after src', ['--secret', 'src=bar,id=foo', '.'], ['foo']],
    ['--secret=id', ['--secret=id=foo,src=bar', '.'], ['foo']],
    ['an env-sourced one', ['--secret', 'id=NPM_TOKEN,env=NPM_TOKEN', '.'], ['NPM_TOKEN']],
    ['several', ['--secret', 'id=a,src=x', '--secret', 'id=.npmrc', '.'], ['a', '.npmrc']],
    ['an upper-case key, as buildx accepts', ['--secret', 'ID=foo,src=bar', '.'], ['foo']],
    ['no id at all', ['--secret', 'src=bar', '.'], ['']],
  ])('collects user --secret ids: %s', (_label, args, ids) => {
    expect(readPassthrough(args).userSecrets.map(({ id }) => id)).toEqual(ids);
  });

  it.each<[string, string, NodeJS.ProcessEnv, string | undefined]>([
    ['env=', 'id=a,env=TOKEN', {}, 'TOKEN'],
    [
      'type=env with src= naming the variable, as buildx reads it',
      'type=env,id=a,src=TOKEN',
      {},
      'TOKEN',
    ],
    ['type=env with both: env= wins', 'type=env,id=a,src=X,env=TOKEN', {}, 'TOKEN'],
    ['a bare id that is a set variable', 'id=TOKEN', { TOKEN: 'v' }, 'TOKEN'],
    ['a bare id that is not', 'id=TOKEN', {}, undefined],
    ['a file', 'id=TOKEN,src=file', { TOKEN: 'v' }, undefined],
  ])('finds the variable of a user --secret: %s', (_label, spec, env, variable) => {
    const [secret] = readPassthrough(['--secret', spec, '.']).userSecrets;

    expect(secretVariable(secret, env)).toBe(variable);
  });

  it.each<[string, string[], RegExp]>([
    ['no context', ['-t', 'x', '--load'], /exactly one build context.*got none/],
    ['no context, only --', ['--'], /got none/],
    ['two contexts, without repeating them', ['.', 'hunter2-value'], /got 2 arguments$/],
    ['the value of an unknown flag rather than guess', ['--made-up-flag', 'x', '.'], /got 2/],
    ['a value flag at the end', ['.', '-t'], /-t needs a value/],
    ['--file at the end', ['.', '--file'], /--file needs a value/],
  ])('refuses %s', (_label, args, message) => {
    expect(() => readPassthrough(args)).toThrow(UsageError);
    expect(() => readPassthrough(args)).toThrow(message);
  });

  it('does not read a --secret spec after -- as a flag', () => {
    const info = readPassthrough(['--', '--secret']);

    expect(info.context).toBe('--secret');
    expect(info.userSecrets).toEqual([]);
  });
});

describe('checkLocalContext', () => {
  const info = (context: string) => ({ context, userSecrets: [] });

  it('refuses a local context that does not exist, as a usage error', () => {
    const missing = `/tmp/ona-missing-${process.pid}-${Date.now()}/ctx`;

    expect(() => checkLocalContext(info(missing))).toThrow(
      `the build context ${missing} does not exist`,
    );
    expect(() => checkLocalContext(info(missing))).toThrow(UsageError);
  });

  it.each([
    'fixtures/bench',
    '-',
    'https://github.com/acme/web.git#main',
    'git://example.com/web',
    'git@github.com:acme/web.git',
    'github.com/acme/web',
  ])('accepts %s', (context) => {
    expect(() => checkLocalContext(info(context))).not.toThrow();
  });

  it('refuses a local context without a Dockerfile when no -f names one', () => {
    expect(() => checkLocalContext(info('/'))).toThrow(
      'the build context / has no Dockerfile: add one, or name it with -f',
    );
    expect(() => checkLocalContext({ ...info('/'), dockerfile: '-' })).not.toThrow();
  });

  it('refuses a Dockerfile named with -f that is missing or a directory', () => {
    const missing = `/tmp/ona-missing-${process.pid}-${Date.now()}/Dockerfile`;

    for (const dockerfile of [missing, '/tmp']) {
      expect(() => checkLocalContext({ ...info('.'), dockerfile })).toThrow(
        `the Dockerfile ${dockerfile} (-f) does not exist or is no file`,
      );
    }
  });

  it('leaves -f to the builder for stdin and remote contexts', () => {
    expect(() => checkLocalContext({ ...info('.'), dockerfile: '-' })).not.toThrow();
    const remote = { ...info('https://github.com/acme/web.git'), dockerfile: 'nope/Dockerfile' };
    expect(() => checkLocalContext(remote)).not.toThrow();
  });
});

describe('localDockerfilePath', () => {
  const info = (context: string, dockerfile?: string) => ({
    context,
    dockerfile,
    userSecrets: [],
  });

  it('finds the Dockerfile in a local context, or -f relative to the current directory', () => {
    expect(localDockerfilePath(info('ctx'))).toBe(path.resolve('ctx/Dockerfile'));
    expect(localDockerfilePath(info('ctx', 'other/Dockerfile.dev'))).toBe(
      path.resolve('other/Dockerfile.dev'),
    );
  });

  it.each([
    info('-'),
    info('ctx', '-'),
    info('https://github.com/acme/web.git'),
    info('git@github.com:acme/web.git'),
  ])('has none for %o', (remote) => {
    expect(localDockerfilePath(remote)).toBeUndefined();
  });
});

describe('csvFields', () => {
  it.each([
    ['id=a,src=b', ['id=a', 'src=b']],
    ['"id=CANARY",src=dummy.txt', ['id=CANARY', 'src=dummy.txt']],
    ['"id=a,b","src=x""y"', ['id=a,b', 'src=x"y']],
    ['id=a,', ['id=a', '']],
  ])('reads %j as buildx does', (record, fields) => {
    expect(csvFields(record)).toEqual(fields);
  });

  it('finds the id of a --secret quoted whole, as buildx reads it', () => {
    const { userSecrets } = readPassthrough(['--secret', '"id=CANARY",src=dummy.txt', '.']);

    expect(userSecrets.map(({ id, src }) => ({ id, src }))).toEqual([
      { id: 'CANARY', src: 'dummy.txt' },
    ]);
  });
});
