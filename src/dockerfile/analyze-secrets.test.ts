import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { analyzeDockerfile } from './analyze.js';
import type { AnalyzeOptions, SecretMountRef } from './types.js';

function fixture(name: string): string {
  return readFileSync(
    new URL(`../../fixtures/dockerfiles/${name}.Dockerfile`, import.meta.url),
    'utf8',
  );
}

function mounts(text: string, options?: AnalyzeOptions): SecretMountRef[] {
  return analyzeDockerfile(text, options).secretMounts;
}

function ids(text: string, options?: AnalyzeOptions): string[] {
  return mounts(text, options).map((mount) => mount.id);
}

function warnings(text: string): string[] {
  return analyzeDockerfile(text).warnings.map((warning) => `${warning.line}: ${warning.message}`);
}

const BASE = 'FROM localhost:5000/base/busybox:1\n';

describe('analyzeDockerfile: secret mounts', () => {
  it('reads an id mounted as an environment variable, optional by default (C01)', () => {
    const text =
      BASE +
      'RUN --mount=type=secret,id=NPM_TOKEN,env=NPM_TOKEN \\\n' +
      `    sh -c 'test -n "$NPM_TOKEN" || { echo missing; exit 1; }'\n`;

    expect(mounts(text)).toEqual([
      { id: 'NPM_TOKEN', explicitId: true, required: false, env: 'NPM_TOKEN', line: 2, stage: '0' },
    ]);
  });

  it('derives the id from the target base name, dots kept (C04)', () => {
    const text =
      '# syntax=docker/dockerfile:1\n' +
      BASE +
      'RUN --mount=type=secret,target=/root/.npmrc,required \\\n' +
      '    grep -q _authToken /root/.npmrc\n' +
      'RUN --mount=type=secret,target=/etc/pip/pip.conf,required \\\n' +
      '    test -s /etc/pip/pip.conf\n';

    expect(mounts(text)).toEqual([
      {
        id: '.npmrc',
        explicitId: false,
        required: true,
        target: '/root/.npmrc',
        line: 3,
        stage: '0',
      },
      {
        id: 'pip.conf',
        explicitId: false,
        required: true,
        target: '/etc/pip/pip.conf',
        line: 5,
        stage: '0',
      },
    ]);
  });

  it('keeps ids exactly as written: case, dots and dashes (C10)', () => {
    const found = mounts(fixture('c10-ids'));

    expect(found.map((mount) => [mount.id, mount.required, mount.line])).toEqual([
      ['netrc', true, 3],
      ['pip-conf', true, 3],
      ['aws.credentials', true, 3],
      ['NPM_TOKEN', false, 7],
      ['npm_token', false, 7],
    ]);
    expect(found[0]?.target).toBe('/root/.netrc');
    expect(found[1]?.target).toBe('/run/secrets/pip-conf');
  });

  it.each([
    ['required', true],
    ['required=true', true],
    ['required=True', true],
    ['required=TRUE', true],
    ['required=t', true],
    ['required=T', true],
    ['required=1', true],
    ['required=false', false],
    ['required=False', false],
    ['required=FALSE', false],
    ['required=f', false],
    ['required=F', false],
    ['required=0', false],
    ['REQUIRED', true],
    ['Required=1', true],
  ])('reads %s as required=%s, as strconv.ParseBool does', (field, required) => {
    const text = `${BASE}RUN --mount=type=secret,id=tok,${field} true\n`;

    expect(mounts(text).map((mount) => mount.required)).toEqual([required]);
    expect(warnings(text)).toEqual([]);
  });

  it.each(['required=yes', 'required=on', 'required=2', 'required='])(
    'warns that BuildKit rejects %s, and reads it as required',
    (field) => {
      const text = `${BASE}RUN --mount=type=secret,id=tok,${field} true\n`;

      expect(mounts(text).map((mount) => mount.required)).toEqual([true]);
      expect(warnings(text)).toEqual([
        expect.stringMatching(/^2: RUN --mount: invalid value for required: .*the build fails$/),
      ]);
    },
  );

  it('warns that BuildKit rejects required before type=secret', () => {
    const text = `${BASE}RUN --mount=required,type=secret,id=tok true\n`;

    expect(mounts(text).map((mount) => [mount.id, mount.required])).toEqual([['tok', true]]);
    expect(warnings(text)).toEqual([
      expect.stringContaining("unexpected key 'required' for mount type 'bind'"),
    ]);
  });

  it.each([
    ['type=secret,id=tok,target=/t', 'tok', '/t'],
    ['id=tok,type=secret,target=/t', 'tok', '/t'],
    ['target=/t,id=tok,type=secret', 'tok', '/t'],
    ['TYPE=SECRET,ID=tok,DST=/t', 'tok', '/t'],
    ['type=secret,source=tok,destination=/t', 'tok', '/t'],
    ['type=secret,src=tok,dst=/t', 'tok', '/t'],
    ['type=secret,id="tok",target="/t"', 'tok', '/t'],
    ["type=secret,id='tok',target='/t'", 'tok', '/t'],
    ['"type=secret,id=tok,target=/t"', 'tok', '/t'],
    ['type=secret,id="my tok",target="/run/my file"', 'my tok', '/run/my file'],
    ['type=secret,id=tok,target=/t,uid=1000,gid=1000,mode=0400', 'tok', '/t'],
    ['type=secret,id=tok,target=/t/', 'tok', '/t/'],
    ['type=secret,id=,target=/etc/tok', 'tok', '/etc/tok'],
  ])('reads --mount=%s as id %j at %j', (spec, id, target) => {
    const found = mounts(`${BASE}RUN --mount=${spec} true\n`);

    expect(found.map((mount) => [mount.id, mount.target])).toEqual([[id, target]]);
  });

  it('mounts at /run/secrets/<base name of the id> when no target is given', () => {
    const text = `${BASE}RUN --mount=type=secret,id=team/npm.token true\n`;

    expect(mounts(text).map((mount) => [mount.id, mount.target])).toEqual([
      ['team/npm.token', '/run/secrets/npm.token'],
    ]);
  });

  it('keeps a file target next to env= only when one is given', () => {
    const text =
      BASE + 'RUN --mount=type=secret,id=a,env=A --mount=type=secret,id=b,env=B,target=/b true\n';

    expect(mounts(text).map((mount) => [mount.id, mount.env, mount.target])).toEqual([
      ['a', 'A', undefined],
      ['b', 'B', '/b'],
    ]);
  });

  it.each([
    ['type=secret,id=a,source=b', "both source and id can't be set"],
    ['type=secret,required', 'one of source, target required'],
    ['type=secret,id=a,from=img', 'secret mount should not have a from'],
    ['type=secret,id=a,readonly,bogus', "invalid field 'bogus' must be a key=value pair"],
    ['type=secrte,id=a', 'unsupported mount type "secrte"'],
    ['type=secret,id=a\\"b', 'failed to parse csv mounts: bare " in non-quoted-field'],
  ])('warns about --mount=%s, which BuildKit rejects', (spec, message) => {
    expect(warnings(`${BASE}RUN --mount=${spec} true\n`)).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it('reads every --mount of a RUN, across continuation lines, blank and comment lines', () => {
    const found = mounts(fixture('continuations'));

    expect(found.map((mount) => [mount.id, mount.line])).toEqual([
      ['first', 2],
      ['.npmrc', 2],
      ['third', 2],
      ['after', 8],
    ]);
    expect(found[1]?.required).toBe(true);
    expect(found[2]?.env).toBe('THIRD');
  });

  it('reads a CRLF file as the same file with LF endings', () => {
    const text = fixture('continuations');
    const crlf = text.replace(/\n/g, '\r\n');

    expect(crlf).toContain('\\  \t\r\n');
    expect(analyzeDockerfile(crlf)).toEqual(analyzeDockerfile(text));
    expect(ids(crlf)).toEqual(['first', '.npmrc', 'third', 'after']);
  });

  it('continues lines with the escape token; flags still unescape with a backslash', () => {
    const found = mounts(fixture('backtick-escape'));

    expect(found.map((mount) => [mount.id, mount.target, mount.line])).toEqual([
      ['nuget.config', 'C:\\nuget\\NuGet.Config', 3],
      ['second', '/run/secrets/second', 3],
    ]);
  });

  it('does not continue a line that ends in an escaped escape character', () => {
    const text =
      `${BASE}RUN --mount=type=secret,id=one echo \\\\\n` + 'RUN --mount=type=secret,id=two true\n';

    expect(ids(text)).toEqual(['one', 'two']);
  });

  it('reads mounts of RUN with a heredoc, in JSON form, and in lower case', () => {
    const text =
      BASE +
      'RUN --mount=type=secret,id=heredoc <<EOF\n' +
      '# syntax=this/is/not:a-directive\n' +
      'cat /run/secrets/heredoc\n' +
      'EOF\n' +
      'RUN --mount=type=secret,id=json ["cat", "/run/secrets/json"]\n' +
      'run --mount=type=secret,id=lower true\n';

    expect(mounts(text).map((mount) => [mount.id, mount.line])).toEqual([
      ['heredoc', 2],
      ['json', 6],
      ['lower', 7],
    ]);
    expect(warnings(text)).toEqual([]);
  });

  it('ignores ONBUILD triggers, other mount types and mounts written after the command', () => {
    const text =
      BASE +
      'ONBUILD RUN --mount=type=secret,id=onbuild true\n' +
      'RUN --mount=type=cache,id=cache,target=/c --mount=type=ssh,required true\n' +
      'RUN echo --mount=type=secret,id=argument\n';

    expect(ids(text)).toEqual([]);
  });

  it('labels each mount with its stage name, or index when the stage has none', () => {
    const text =
      'FROM node:20 AS Deps\nRUN --mount=type=secret,id=a true\n' +
      'FROM deps\nRUN --mount=type=secret,id=b true\n';

    expect(mounts(text).map((mount) => [mount.id, mount.stage])).toEqual([
      ['a', 'deps'],
      ['b', '1'],
    ]);
  });

  it('expands variables in mount values with the stage ARGs, ENVs and build arguments', () => {
    const text =
      'ARG GLOBAL_ID=global\n' +
      'FROM node:20 AS deps\n' +
      'ARG GLOBAL_ID\n' +
      'ARG LOCAL_ID=local\n' +
      'ENV CONF_DIR=/etc/app\n' +
      'RUN --mount=type=secret,id=${GLOBAL_ID} --mount=type=secret,id=$LOCAL_ID \\\n' +
      '    --mount=type=secret,target=${CONF_DIR}/app.conf true\n' +
      'FROM deps\n' +
      'RUN --mount=type=secret,id=${LOCAL_ID}-child true\n';

    expect(ids(text)).toEqual(['global', 'local', 'app.conf', 'local-child']);
    expect(ids(text, { buildArgs: { LOCAL_ID: 'given', GLOBAL_ID: 'g' } })).toEqual([
      'g',
      'given',
      'app.conf',
      'given-child',
    ]);
  });

  it('does not let a stage see a global ARG it does not declare', () => {
    const text = 'ARG ID=global\nFROM scratch\nRUN --mount=type=secret,id=x${ID:-none} true\n';

    expect(ids(text)).toEqual(['xnone']);
  });

  it('reports an id that depends on the base image environment as unknown', () => {
    const analysis = analyzeDockerfile(`${BASE}RUN --mount=type=secret,id=$SECRET_ID true\n`);

    expect(analysis.secretMounts).toEqual([]);
    expect(analysis.secretMountsKnown).toBe(false);
    expect(analysis.warnings).toEqual([
      {
        line: 2,
        message:
          "cannot resolve a secret mount's id: SECRET_ID is not set in the Dockerfile and may " +
          'come from the base image',
      },
    ]);
  });

  it('still knows the id when only the directory of the target is unknown', () => {
    const analysis = analyzeDockerfile(
      `${BASE}RUN --mount=type=secret,target=$HOME/.npmrc,required true\n`,
    );

    expect(analysis.secretMounts.map((mount) => [mount.id, mount.target])).toEqual([
      ['.npmrc', '$HOME/.npmrc'],
    ]);
    expect(analysis.secretMountsKnown).toBe(true);
  });

  it('reports a mount whose type depends on an unknown variable', () => {
    const analysis = analyzeDockerfile(`${BASE}RUN --mount=type=$KIND,id=tok true\n`);

    expect(analysis.secretMounts).toEqual([]);
    expect(analysis.secretMountsKnown).toBe(false);
  });
});

describe('analyzeDockerfile: stages the build runs', () => {
  const stage = (name: string, base = 'localhost:5000/base/busybox:1') =>
    `FROM ${base} AS ${name}\nRUN --mount=type=secret,id=${name}-secret,required true\n`;

  it('keeps only the last stage and what it reaches when no target is given', () => {
    const text =
      stage('deps') +
      stage('unused') +
      stage('tools') +
      stage('cache') +
      stage('app', 'deps') +
      'COPY --from=tools /x /x\n' +
      'RUN --mount=type=cache,from=cache,target=/c true\n';

    expect(ids(text)).toEqual(['deps-secret', 'tools-secret', 'cache-secret', 'app-secret']);
  });

  it('follows COPY --from a stage index', () => {
    const text = stage('first') + stage('second') + stage('last') + 'COPY --from=0 /x /x\n';

    expect(ids(text)).toEqual(['first-secret', 'last-secret']);
  });

  it('keeps the --target stage and what it reaches, not later stages', () => {
    const text = stage('deps') + stage('test', 'deps') + stage('release', 'deps');

    expect(ids(text, { target: 'Test' })).toEqual(['deps-secret', 'test-secret']);
  });

  it('keeps every stage when a reference is only known at build time', () => {
    const fromArg = 'ARG BASE\n' + stage('deps') + stage('app', '${BASE}');
    const mountFromArg =
      stage('deps') +
      stage('app') +
      'ARG FROM_STAGE\n' +
      'RUN --mount=type=bind,from=${FROM_STAGE},target=/s true\n';

    expect(ids(fromArg)).toEqual(['deps-secret', 'app-secret']);
    expect(ids(mountFromArg)).toEqual(['deps-secret', 'app-secret']);
  });

  it('keeps every stage when the target does not exist (the build fails anyway)', () => {
    const text = stage('deps') + stage('app');

    expect(ids(text, { target: 'nope' })).toEqual(['deps-secret', 'app-secret']);
  });
});
