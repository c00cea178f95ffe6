import { describe, expect, it } from 'vitest';

import { toBuildxArgs } from './buildx-args.js';
import type { DockerfilePlan } from './plan.js';

function plan(fields: Partial<DockerfilePlan> = {}): DockerfilePlan {
  return {
    kind: 'dockerfile',
    configFile: '/repo/.devcontainer/devcontainer.json',
    dockerfile: '/repo/.devcontainer/Dockerfile',
    context: '/repo',
    args: {},
    cacheFrom: [],
    options: [],
    warnings: [],
    ...fields,
  };
}

describe('toBuildxArgs', () => {
  it('needs only the Dockerfile and the context', () => {
    expect(toBuildxArgs(plan())).toEqual(['-f', '/repo/.devcontainer/Dockerfile', '/repo']);
  });

  it('orders the flags as the dev container CLI does, with the context last', () => {
    const argv = toBuildxArgs(
      plan({
        target: 'dev',
        cacheFrom: ['ghcr.io/acme/app:cache', 'type=local,src=/tmp/c'],
        args: { A: '1', B: 'two words' },
        options: ['--network', 'host', '--add-host=db:10.0.0.2'],
      }),
    );

    expect(argv).toEqual([
      '-f',
      '/repo/.devcontainer/Dockerfile',
      '--target',
      'dev',
      '--cache-from',
      'ghcr.io/acme/app:cache',
      '--cache-from',
      'type=local,src=/tmp/c',
      '--build-arg',
      'A=1',
      '--build-arg',
      'B=two words',
      '--network',
      'host',
      '--add-host=db:10.0.0.2',
      '/repo',
    ]);
  });

  it.each([
    ['GREETING', `Hello & world; $(id) "quoted" 'single'`],
    ['EMPTY', ''],
    ['EQUALS', 'a=b=c'],
    ['NEWLINE', 'line1\nline2\n'],
    ['BACKTICK', '`id` && rm -rf / ; echo $HOME'],
    ['SPACES', '  padded  '],
  ])('keeps %s as one NAME=value element, byte for byte', (name, value) => {
    const argv = toBuildxArgs(plan({ args: { [name]: value } }));

    expect(argv[argv.indexOf('--build-arg') + 1]).toBe(`${name}=${value}`);
    expect(argv).toHaveLength(5);
  });

  it('keeps paths with spaces whole', () => {
    const argv = toBuildxArgs(plan({ dockerfile: '/my repo/Dockerfile', context: '/my repo' }));

    expect(argv).toEqual(['-f', '/my repo/Dockerfile', '/my repo']);
  });
});
