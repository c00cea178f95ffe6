import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { shimScript, shQuote } from './shim-script.js';

const FLAGS = ['--secret', 'id=a.b,src=/dev/shm/run/secrets/0', '--secret', "id=c,src=/it's"];

describe('shimScript', () => {
  let dir: string;
  let shim: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-shim-'));
    const real = path.join(dir, 'real-docker');
    // The "real" docker prints each argument on its own line, so the test sees the exact argv.
    fs.writeFileSync(real, '#!/bin/sh\nfor a do printf "%s\\n" "$a"; done\n', { mode: 0o755 });
    shim = path.join(dir, 'docker');
    const script = shimScript({ realDocker: real, buildFlags: FLAGS, ids: ['a.b', 'c'] });
    fs.writeFileSync(shim, script, { mode: 0o755 });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    execFileSync(shim, args, { encoding: 'utf8' }).split('\n').slice(0, -1);

  it.each([
    [
      ['build', '-t', 'x', '.'],
      ['build', ...FLAGS, '-t', 'x', '.'],
    ],
    [
      ['buildx', 'build', '.'],
      ['buildx', 'build', ...FLAGS, '.'],
    ],
    [
      ['buildx', 'b', '.'],
      ['buildx', 'b', ...FLAGS, '.'],
    ],
    [
      ['builder', 'build', '.'],
      ['builder', 'build', ...FLAGS, '.'],
    ],
    [
      ['builder', 'b', '.'],
      ['builder', 'b', ...FLAGS, '.'],
    ],
    [
      ['image', 'build', '.'],
      ['image', 'build', ...FLAGS, '.'],
    ],
    [
      ['--context', 'ci', '-H', 'unix:///x', 'buildx', '--builder', 'b1', 'build', '.'],
      ['--context', 'ci', '-H', 'unix:///x', 'buildx', '--builder', 'b1', 'build', ...FLAGS, '.'],
    ],
    [
      ['--debug', 'buildx', 'build', '--build-arg', 'A=build', 'ctx'],
      ['--debug', 'buildx', 'build', ...FLAGS, '--build-arg', 'A=build', 'ctx'],
    ],
  ])('adds the secret flags to %j', (args, expected) => {
    expect(run(...args)).toEqual(expected);
  });

  it.each([
    [['ps', '-a']],
    [['run', '--rm', 'img', 'build']],
    [['buildx', 'version']],
    [['buildx', 'ls']],
    [['image', 'inspect', 'build']],
    [['--context', 'build', 'ps']],
    [['compose', 'build']],
    [['inspect', '--format', '{{.Id}}', 'x']],
  ])('passes %j through unchanged', (args) => {
    expect(run(...args)).toEqual(args);
  });

  const refused = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const result = spawnSync(shim, args, {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it.each([
    [['buildx', 'build', '--progress=rawjson', '.']],
    [['build', '--progress', 'rawjson', '.']],
    [['buildx', 'b', '.', '--progress=rawjson']],
  ])('refuses rawjson progress in %j, before docker runs', (args) => {
    const result = refused(args);

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'ona-build exec: rawjson progress cannot be redacted reliably (step output is base64 in ' +
        'pieces): use --progress=plain, tty or quiet\n',
    );
  });

  it.each([
    [['buildx', 'build', '-o', '-', '.']],
    [['buildx', 'build', '--output=-', '.']],
    [['build', '-o-', '.']],
    [['buildx', 'build', '--output', 'type=tar,dest=-', '.']],
    [['buildx', 'build', '-o', 'type=oci', '.']],
    [['buildx', 'build', '-otype=tar', '.']],
    [['build', '-o=-', '.']],
    [['build', '-o=type=tar', '.']],
    [['build', '-qo', '-', '.']],
    [['build', '-qo=-', '.']],
    [['build', '-qotype=tar', '.']],
    [['build', '-o', '"type=tar"', '.']],
    [['build', '-o', 'type=tar,dest=', '.']],
    [['build', '-o', ' TYPE =oci', '.']],
  ])('refuses an archive on stdout in %j, which masking would corrupt', (args) => {
    const result = refused(args);

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('ona-build exec: a build result written to stdout (-o -)');
  });

  it.each([
    [['buildx', 'build', '-o', 'type=tar,dest=out.tar', '.']],
    [['buildx', 'build', '--output', 'type=local,dest=out', '.']],
    [['buildx', 'build', '-o', 'out', '.']],
    [['build', '-qo', 'out', '.']],
    [['build', '-q', '-t', 'x', '-o', 'type=oci,dest=x.tar', '.']],
    [['build', '-t', 'dest=-', '.']],
    [['run', '-o', '-', 'img']],
  ])('lets %j write its result to a file, or run unchanged', (args) => {
    expect(refused(args).status).toBe(0);
  });

  it.each([
    [['buildx', 'build', '--secret', 'id=c,src=/etc/hostname', '.'], 'c'],
    [['build', '--secret=src=/etc/hostname,ID=a.b', '.'], 'a.b'],
    [['buildx', 'build', '--secret', 'id=a.b', '.'], 'a.b'],
    [['buildx', 'build', '--secret', '"id=c",src=/etc/hostname', '.'], 'c'],
  ])('refuses %j, whose own --secret reuses the id %s it provides', (args, id) => {
    const result = refused(args);

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`--secret id=${id} is also provided by ona-build`);
    expect(result.stderr).not.toContain('/etc/hostname');
  });

  it.each([
    [['buildx', 'build', '--secret', 'id=axb,src=/etc/hostname', '.']],
    [['buildx', 'build', '--secret', 'id=c2', '.']],
    [['run', '--secret', 'id=c', 'img']],
  ])('lets %j through: another id, or not a build', (args) => {
    expect(refused(args).status).toBe(0);
  });

  it('refuses rawjson progress from BUILDKIT_PROGRESS for builds only', () => {
    expect(refused(['build', '.'], { BUILDKIT_PROGRESS: 'rawjson' }).status).toBe(2);
    expect(refused(['ps'], { BUILDKIT_PROGRESS: 'rawjson' })).toMatchObject({
      status: 0,
      stdout: 'ps\n',
    });
    expect(refused(['buildx', 'build', '--progress=plain', '.']).status).toBe(0);
  });

  it('refuses tty progress, which has no terminal under exec, from a flag or the variable', () => {
    for (const [args, env] of [
      [['build', '--progress=tty', '.'], {}],
      [['buildx', 'build', '--progress', 'tty', '.'], {}],
      [['build', '.'], { BUILDKIT_PROGRESS: 'tty' }],
    ] as const) {
      const result = refused([...args], env);

      expect(result.status).toBe(2);
      expect(result.stderr).toContain('tty progress needs a terminal');
    }
    expect(refused(['ps'], { BUILDKIT_PROGRESS: 'tty' }).status).toBe(0);
    // A --progress flag wins over the variable, as docker has it.
    expect(refused(['build', '--progress=plain', '.'], { BUILDKIT_PROGRESS: 'tty' }).status).toBe(
      0,
    );
  });

  it('makes auto progress plain, which a terminal the command made would turn to tty', () => {
    const env = path.join(dir, 'env-docker');
    fs.writeFileSync(env, '#!/bin/sh\necho "$BUILDKIT_PROGRESS"; for a do echo "$a"; done\n', {
      mode: 0o755,
    });
    const shimmed = path.join(dir, 'docker-env');
    fs.writeFileSync(shimmed, shimScript({ realDocker: env, buildFlags: [], ids: [] }), {
      mode: 0o755,
    });
    const run = (args: string[], vars: NodeJS.ProcessEnv = {}) =>
      spawnSync(shimmed, args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', ...vars } })
        .stdout;

    expect(run(['build', '.'])).toBe('plain\nbuild\n.\n');
    expect(run(['build', '.'], { BUILDKIT_PROGRESS: 'auto' })).toBe('plain\nbuild\n.\n');
    // A flag wins over the variable, and is passed as it is (plain would clash with -q).
    expect(run(['build', '-q', '--progress=auto', '.'])).toBe('\nbuild\n-q\n--progress=auto\n.\n');
    expect(run(['ps'])).toBe('\nps\n');
  });

  it.each([
    [['buildx', 'bake', 'default']],
    [['builder', 'bake']],
    [['bake', '--progress=plain']],
    [['buildx', '--builder', 'b', 'debug', '--on=error', 'build', '.']],
  ])('refuses %j, whose builds would get no secrets and no checks', (args) => {
    const result = refused(args);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('docker buildx bake and buildx debug builds would get');
  });

  it("refuses DOCKER_BUILDKIT=0 for the client's own build only: buildx ignores it", () => {
    const legacy = { DOCKER_BUILDKIT: '0' };

    expect(refused(['build', '.'], legacy).stderr).toContain('selects the legacy builder');
    expect(refused(['image', 'build', '.'], legacy).status).toBe(2);
    expect(refused(['build', '.'], { DOCKER_BUILDKIT: 'False' }).status).toBe(2);
    expect(refused(['build', '.'], { DOCKER_BUILDKIT: '1' }).status).toBe(0);
    expect(refused(['buildx', 'build', '.'], legacy).status).toBe(0);
  });

  it('keeps arguments with spaces, quotes and empty strings intact', () => {
    const args = ['build', '--build-arg', 'G=Hello & world; $(id) "q" \'s\'', '--label', '', '.'];

    expect(run(...args)).toEqual(['build', ...FLAGS, ...args.slice(1)]);
  });
});

describe('shimScript with an exec-check', () => {
  let dir: string;
  let shim: string;
  let seen: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-shim-check-'));
    seen = path.join(dir, 'seen');
    const real = path.join(dir, 'real-docker');
    fs.writeFileSync(real, '#!/bin/sh\necho ran\n', { mode: 0o755 });
    // The check records its arguments, and refuses a build tagged "refused" with exit 3.
    const check = path.join(dir, 'check');
    const body =
      'for a do printf "%s\\n" "$a"; done > "$SEEN"\ncase "$*" in *refused*) exit 3;; esac\n';
    fs.writeFileSync(check, `#!/bin/sh\n${body}`, { mode: 0o755 });
    shim = path.join(dir, 'docker');
    const options = { realDocker: real, buildFlags: FLAGS, ids: [], check: [check, 'RUN'] };
    fs.writeFileSync(shim, shimScript(options), { mode: 0o755 });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    fs.rmSync(seen, { force: true });
    return spawnSync(shim, args, { encoding: 'utf8', env: { ...process.env, SEEN: seen } });
  };

  it("hands a build's argv and how many of its arguments are its own to the check", () => {
    const result = run('-H', 'unix:///x.sock', 'buildx', 'build', '-t', 'x', '.');

    expect(result.stdout).toBe('ran\n');
    expect(fs.readFileSync(seen, 'utf8').split('\n').slice(0, -1)).toEqual([
      'RUN',
      '3',
      '--',
      ...['-H', 'unix:///x.sock', 'buildx', 'build', ...FLAGS, '-t', 'x', '.'],
    ]);
  });

  it('stops a build the check refuses with its exit code, and checks nothing else', () => {
    const refused = run('build', '-t', 'refused', '.');
    const other = run('ps');

    expect(refused.status).toBe(3);
    expect(refused.stdout).toBe('');
    expect(other.stdout).toBe('ran\n');
    expect(fs.existsSync(seen)).toBe(false);
  });
});

describe('shQuote', () => {
  it.each(["it's", 'a b', '$(id)', '', '\\n'])('round-trips %j through sh', (text) => {
    expect(
      execFileSync('/bin/sh', ['-c', `printf %s ${shQuote(text)}`], { encoding: 'utf8' }),
    ).toBe(text);
  });
});
