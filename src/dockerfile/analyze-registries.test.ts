import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { DOCKER_HUB_KEY } from '../secrets/registry-host.js';
import { analyzeDockerfile } from './analyze.js';
import type { AnalyzeOptions } from './types.js';

function fixture(name: string): string {
  return readFileSync(
    new URL(`../../fixtures/dockerfiles/${name}.Dockerfile`, import.meta.url),
    'utf8',
  );
}

/** `via host image` for each registry reference, in order. */
function registries(text: string, options?: AnalyzeOptions): string[] {
  return analyzeDockerfile(text, options).registries.map((r) => `${r.via} ${r.host} ${r.image}`);
}

describe('analyzeDockerfile: registries', () => {
  it.each([
    ['node:20', DOCKER_HUB_KEY],
    ['node', DOCKER_HUB_KEY],
    ['docker.io/library/node:20', DOCKER_HUB_KEY],
    ['index.docker.io/acme/app:1', DOCKER_HUB_KEY],
    ['acme/app:1', DOCKER_HUB_KEY],
    ['registry.hub.docker.com/library/node:20', 'registry.hub.docker.com'],
    ['ghcr.io/acme/app:1', 'ghcr.io'],
    ['localhost:5000/base/busybox:1', 'localhost:5000'],
    ['localhost/base/busybox', 'localhost'],
    ['[::1]:5000/base/busybox:1', '[::1]:5000'],
    [`node@sha256:${'a'.repeat(64)}`, DOCKER_HUB_KEY],
    [`ghcr.io/acme/app:1@sha256:${'b'.repeat(64)}`, 'ghcr.io'],
  ])('counts FROM %s under the config key %s', (image, host) => {
    expect(registries(`FROM ${image}\n`)).toEqual([`from ${host} ${image}`]);
  });

  it.each([
    'FROM --platform=linux/amd64 node:20',
    'FROM --platform=$BUILDPLATFORM node:20 AS build',
    'from node:20 as build',
    'FROM "node:20"',
    "FROM 'node:20' AS build",
    'FROM \\\n  node:20',
  ])('reads the image of %j', (line) => {
    expect(registries(`${line}\n`)).toEqual([`from ${DOCKER_HUB_KEY} node:20`]);
  });

  it('counts no registry for scratch', () => {
    const analysis = analyzeDockerfile('FROM scratch\nCOPY a /a\n');

    expect(analysis.registries).toEqual([]);
    expect(analysis.registriesKnown).toBe(true);
  });

  it('resolves FROM through global ARG defaults, overridden by build arguments', () => {
    const text =
      'ARG REGISTRY=ghcr.io/acme\nARG TAG=1\nARG BASE=${REGISTRY}/base:${TAG}\nFROM ${BASE}\n';

    expect(registries(text)).toEqual(['from ghcr.io ghcr.io/acme/base:1']);
    expect(registries(text, { buildArgs: { TAG: '2' } })).toEqual([
      'from ghcr.io ghcr.io/acme/base:2',
    ]);
    expect(registries(text, { buildArgs: { BASE: 'quay.io/x/y:3' } })).toEqual([
      'from quay.io quay.io/x/y:3',
    ]);
  });

  it.each([
    ['ARG V\nFROM node:${V:-20}', 'node:20'],
    ['FROM node:${UNDECLARED:-20}', 'node:20'],
    ['ARG V=\nFROM node:${V:-20}', 'node:20'],
    ['ARG V=x\nFROM node:20${V:+-alpine}', 'node:20-alpine'],
    ['ARG V\nFROM node:20${V:+-alpine}', 'node:20'],
    ['ARG V=20\nFROM node:$V', 'node:20'],
    ['ARG V=20\nFROM "node:$V"', 'node:20'],
    ['ARG A=20 B=alpine\nFROM node:${A}-${B}', 'node:20-alpine'],
    ['ARG A=20\nARG B=${A}-alpine\nFROM node:$B', 'node:20-alpine'],
  ])('expands %j to %s', (text, image) => {
    expect(registries(`${text}\n`)).toEqual([`from ${DOCKER_HUB_KEY} ${image}`]);
  });

  it.each([
    ['ARG V=\nFROM node:${V-20}', 'node:'],
    ["ARG V=20\nFROM 'node:$V'", 'node:$V'],
    ['ARG V="20 "\nFROM node:${V}', 'node:20 '],
    ['ARG V=20\nFROM node:\\$V', 'node:$V'],
  ])('expands %j to %j, which is no image reference', (text, image) => {
    const analysis = analyzeDockerfile(`${text}\n`);

    expect(analysis.registries).toEqual([]);
    expect(analysis.warnings.map((warning) => warning.message)).toEqual([
      `${JSON.stringify(image)} is not a valid image reference: the pull fails`,
    ]);
  });

  it('marks the registries unknown when an ARG has no value, and says why', () => {
    const analysis = analyzeDockerfile('ARG BASE\nFROM ${BASE}\nRUN true\n');

    expect(analysis.registries).toEqual([]);
    expect(analysis.registriesKnown).toBe(false);
    expect(analysis.warnings).toEqual([
      {
        line: 2,
        message:
          'cannot resolve image "${BASE}": ARG BASE has no default and no build argument sets it',
      },
    ]);
  });

  it('resolves the same ARG once a build argument gives it', () => {
    const analysis = analyzeDockerfile('ARG BASE\nFROM ${BASE}\n', {
      buildArgs: { BASE: 'ghcr.io/acme/base:1' },
    });

    expect(analysis.registriesKnown).toBe(true);
    expect(analysis.registries.map((registry) => registry.host)).toEqual(['ghcr.io']);
  });

  it.each([
    ['FROM ${UNDECLARED}', 'UNDECLARED is not a global ARG'],
    ['FROM ${TARGETARCH}/alpine:3', 'TARGETARCH is set by BuildKit at build time'],
    ['FROM node:${TAG}', 'TAG is not a global ARG'],
    ['FROM node AS base\nARG V=1\nFROM node:${V}', 'V is not a global ARG'],
    ['ARG V="${V:?pass V}"\nFROM node:$V', 'BuildKit stops the build: V: pass V'],
    ['ARG V=1\nFROM node:${V%.*}', 'is not evaluated by ona-build'],
    ['FROM node:${V', "missing '}'"],
  ])('cannot know the registry of %j', (text, reason) => {
    const analysis = analyzeDockerfile(`${text}\n`);

    expect(analysis.registriesKnown).toBe(false);
    expect(analysis.warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining(reason),
    ]);
  });

  it('knows the registry when only the tag is unknown', () => {
    const analysis = analyzeDockerfile('ARG TAG\nFROM ghcr.io/acme/app:${TAG}\n');

    expect(analysis.registriesKnown).toBe(true);
    expect(analysis.registries).toEqual([
      { host: 'ghcr.io', image: 'ghcr.io/acme/app:${TAG}', line: 2, via: 'from' },
    ]);
    expect(analysis.warnings).toHaveLength(1);
  });

  it('takes platform ARGs from build arguments when given', () => {
    const text = 'FROM ${TARGETARCH}/alpine:3\n';

    expect(registries(text, { buildArgs: { TARGETARCH: 'arm64v8' } })).toEqual([
      `from ${DOCKER_HUB_KEY} arm64v8/alpine:3`,
    ]);
  });

  it('treats stage names as stages, not registries, in FROM, COPY --from and mount from', () => {
    const text =
      'FROM node:20 AS Build\n' +
      'FROM build AS test\n' +
      'COPY --from=build /a /b\n' +
      'COPY --from=BUILD /a /b\n' +
      'COPY --from=0 /a /b\n' +
      'RUN --mount=type=bind,from=test,target=/t --mount=type=cache,target=/c true\n';

    expect(registries(text)).toEqual([`from ${DOCKER_HUB_KEY} node:20`]);
  });

  it('counts images named by COPY --from and RUN --mount from= as registries', () => {
    const text =
      'FROM node:20\n' +
      'COPY --from=ghcr.io/x/y:1 /a /b\n' +
      'COPY --from=nginx /etc/nginx /etc/nginx\n' +
      'RUN --mount=type=cache,from=quay.io/acme/cache:1,target=/c \\\n' +
      '    --mount=type=bind,from=localhost:5000/tools:2,target=/t true\n';

    expect(registries(text)).toEqual([
      `from ${DOCKER_HUB_KEY} node:20`,
      'copy-from ghcr.io ghcr.io/x/y:1',
      `copy-from ${DOCKER_HUB_KEY} nginx`,
      'mount-from quay.io quay.io/acme/cache:1',
      'mount-from localhost:5000 localhost:5000/tools:2',
    ]);
  });

  it('pulls an image for a FROM naming a stage defined only later, as BuildKit does', () => {
    const text = 'FROM later AS first\nFROM node:20 AS later\n';

    expect(registries(text)).toEqual([
      `from ${DOCKER_HUB_KEY} later`,
      `from ${DOCKER_HUB_KEY} node:20`,
    ]);
  });

  it('reads a RUN --mount from= number as an image name, with a warning', () => {
    const analysis = analyzeDockerfile('FROM node:20\nRUN --mount=from=0,target=/x true\n');

    expect(analysis.registries.map((registry) => registry.image)).toEqual(['node:20', '0']);
    expect(analysis.warnings.map((warning) => warning.message)).toEqual([
      'RUN --mount from=0 is not a stage index: it names an image',
    ]);
  });

  it.each([
    ['COPY --from=$IMG /a /b', 'COPY --from does not take variables'],
    ['RUN --mount=from=$IMG,target=/x true', "'from' doesn't support variable expansion"],
    ['COPY --from=7 /a /b', 'invalid stage index 7'],
    ['FROM Node:20', '"Node:20" is not a valid image reference'],
    ['FROM node:20 AS', 'FROM requires either one or three arguments'],
  ])('warns about %j, which BuildKit rejects, and counts nothing for it', (line, message) => {
    const analysis = analyzeDockerfile(`FROM node:20 AS base\n${line}\n`);

    expect(analysis.registries.map((registry) => registry.image)).toEqual(['node:20']);
    expect(analysis.warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it('lists each host and image once, at its first line', () => {
    const text =
      'FROM node:20 AS a\nFROM node:20 AS b\n' +
      'FROM docker.io/library/node:20\nCOPY --from=node:20 / /\n';

    expect(analyzeDockerfile(text).registries).toEqual([
      { host: DOCKER_HUB_KEY, image: 'node:20', line: 1, via: 'from' },
      { host: DOCKER_HUB_KEY, image: 'docker.io/library/node:20', line: 3, via: 'from' },
    ]);
  });

  it('analyses a multi-stage Dockerfile with ARGs, stage references and secret mounts', () => {
    const analysis = analyzeDockerfile(fixture('multi-stage'));

    expect(analysis.registries.map((r) => `${r.line} ${r.via} ${r.host} ${r.image}`)).toEqual([
      `1 syntax ${DOCKER_HUB_KEY} docker/dockerfile:1.7`,
      `9 from ${DOCKER_HUB_KEY} node:20-alpine`,
      '22 from ghcr.io ghcr.io/acme/tools:1',
      '24 from gcr.io gcr.io/distroless/nodejs20-debian12',
      '28 copy-from quay.io quay.io/acme/licenses:2',
      `29 copy-from ${DOCKER_HUB_KEY} docker.io/library/node:20`,
      '32 mount-from registry.example.com:5443 registry.example.com:5443/sign/cosign:2',
    ]);
    expect(analysis.secretMounts.map((m) => `${m.line} ${m.stage} ${m.id} ${m.required}`)).toEqual([
      '13 deps npmrc true',
      '19 build SENTRY_AUTH_TOKEN false',
      '32 signer cosign.key true',
    ]);
    expect(analysis.registriesKnown).toBe(true);
    expect(analysis.secretMountsKnown).toBe(true);
    expect(analysis.warnings).toEqual([]);
  });

  it('reports a target stage that does not exist, with the names there are, in any case', () => {
    const text = fixture('multi-stage');

    expect(analyzeDockerfile(text, { target: 'Release' }).missingTarget).toBeUndefined();
    expect(analyzeDockerfile(text, { target: 'prod' }).missingTarget).toEqual({
      target: 'prod',
      stages: expect.arrayContaining(['release']) as string[],
    });
  });
});
