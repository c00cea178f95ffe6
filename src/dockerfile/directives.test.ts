import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { DOCKER_HUB_KEY } from '../secrets/registry-host.js';
import { analyzeDockerfile } from './analyze.js';
import type { DockerfileWarning } from './types.js';

function fixture(name: string): string {
  return readFileSync(
    new URL(`../../fixtures/dockerfiles/${name}.Dockerfile`, import.meta.url),
    'utf8',
  );
}

const BODY = 'FROM localhost:5000/base/busybox:1\nRUN true\n';

function lineAndMessage(warnings: readonly DockerfileWarning[]): string[] {
  return warnings.map((warning) => `${warning.line}: ${warning.message}`);
}

function syntaxOf(text: string): string | undefined {
  return analyzeDockerfile(text).syntax?.image;
}

describe('analyzeDockerfile: the syntax directive', () => {
  it('counts the frontend image as a Docker Hub reference (C25 a)', () => {
    const analysis = analyzeDockerfile(`# syntax=docker/dockerfile:1\n${BODY}`);

    expect(analysis.syntax).toEqual({ image: 'docker/dockerfile:1', line: 1 });
    expect(analysis.registries[0]).toEqual({
      host: DOCKER_HUB_KEY,
      image: 'docker/dockerfile:1',
      line: 1,
      via: 'syntax',
    });
    expect(analysis.warnings).toEqual([]);
  });

  it('ignores the directive after a license comment, with a warning (C25 b)', () => {
    const analysis = analyzeDockerfile(fixture('c25-after-license'));

    expect(analysis.syntax).toBeUndefined();
    expect(analysis.registries.map((registry) => registry.via)).toEqual(['from']);
    expect(lineAndMessage(analysis.warnings)).toEqual([
      expect.stringMatching(/^2: this syntax directive is ignored: BuildKit reads parser/),
    ]);
  });

  it('counts the registry of a frontend on a private registry (C25 c)', () => {
    const analysis = analyzeDockerfile(`# syntax=localhost:5000/frontends/dockerfile:1\n${BODY}`);

    expect(analysis.registries.map((registry) => [registry.via, registry.host])).toEqual([
      ['syntax', 'localhost:5000'],
      ['from', 'localhost:5000'],
    ]);
  });

  it.each([
    ['#syntax=docker/dockerfile:1', 'docker/dockerfile:1'],
    ['# syntax = docker/dockerfile:1', 'docker/dockerfile:1'],
    ['#\tsyntax\t=\tdocker/dockerfile:1\t', 'docker/dockerfile:1'],
    ['# SYNTAX=docker/dockerfile:1', 'docker/dockerfile:1'],
    ['# syntax=docker/dockerfile:1 // frontend options', 'docker/dockerfile:1'],
    ['# syntax=docker/dockerfile:1\r', 'docker/dockerfile:1'],
    ['# escape=`\n# syntax=docker/dockerfile:1', 'docker/dockerfile:1'],
    ['#!/usr/bin/env buildctl\n# syntax=docker/dockerfile:1', 'docker/dockerfile:1'],
    ['\uFEFF# syntax=docker/dockerfile:1', 'docker/dockerfile:1'],
    ['//syntax=docker/dockerfile:1', 'docker/dockerfile:1'],
  ])('honours %j', (header, image) => {
    expect(syntaxOf(`${header}\n${BODY}`)).toBe(image);
  });

  it.each([
    ['\n# syntax=docker/dockerfile:1', 2],
    ['# Copyright Acme\n# syntax=docker/dockerfile:1', 2],
    ['# foo=bar\n# syntax=docker/dockerfile:1', 2],
    ['#!/bin/sh\n\n# syntax=docker/dockerfile:1', 3],
    ['FROM scratch\n# syntax=docker/dockerfile:1', 2],
    ['  # syntax=docker/dockerfile:1', 1],
    ['# escape=\\\n  # syntax=docker/dockerfile:1', 2],
  ])('ignores the directive in %j, with a warning on line %i', (header, line) => {
    const analysis = analyzeDockerfile(`${header}\n${BODY}`);

    expect(analysis.syntax).toBeUndefined();
    expect(analysis.registries.map((registry) => registry.via)).not.toContain('syntax');
    expect(lineAndMessage(analysis.warnings)).toEqual([
      expect.stringMatching(new RegExp(`^${line}: this syntax directive is ignored`)),
    ]);
  });

  it('says why an indented directive is ignored', () => {
    expect(analyzeDockerfile(`  # syntax=docker/dockerfile:1\n${BODY}`).warnings).toEqual([
      {
        line: 1,
        message:
          'this syntax directive is ignored: BuildKit detects it only when "#" starts the line',
      },
    ]);
  });

  it('does not read a syntax comment inside a heredoc body', () => {
    const text = `${BODY}RUN <<EOF\n# syntax=docker/dockerfile:1\necho\nEOF\n`;

    expect(analyzeDockerfile(text).warnings).toEqual([]);
  });

  it('uses the first of two syntax directives and warns that BuildKit fails', () => {
    const analysis = analyzeDockerfile(`# syntax=a/b:1\n# syntax=c/d:2\n${BODY}`);

    expect(analysis.syntax).toEqual({ image: 'a/b:1', line: 1 });
    expect(analysis.warnings).toEqual([
      {
        line: 2,
        message:
          'the syntax directive is repeated: BuildKit fails with ' +
          '"only one syntax parser directive can be used"',
      },
    ]);
  });

  it('honours a syntax directive after check, warning about BuildKit before v0.14', () => {
    const analysis = analyzeDockerfile(`# check=error=true\n# syntax=docker/dockerfile:1\n${BODY}`);

    expect(analysis.syntax?.image).toBe('docker/dockerfile:1');
    expect(lineAndMessage(analysis.warnings)).toEqual([
      expect.stringMatching(/^1: .*BuildKit releases before v0\.14/),
    ]);
    expect(analyzeDockerfile(`# syntax=a/b:1\n# check=error=true\n${BODY}`).warnings).toEqual([]);
  });

  it('lets the BUILDKIT_SYNTAX build argument replace the directive', () => {
    const analysis = analyzeDockerfile(`# syntax=docker/dockerfile:1\n${BODY}`, {
      buildArgs: { BUILDKIT_SYNTAX: 'ghcr.io/acme/frontend:2 --opt' },
    });

    expect(analysis.syntax).toEqual({ image: 'ghcr.io/acme/frontend:2', line: 0 });
    expect(analysis.registries.filter((registry) => registry.via === 'syntax')).toEqual([
      { host: 'ghcr.io', image: 'ghcr.io/acme/frontend:2', line: 0, via: 'syntax' },
    ]);
    expect(analysis.warnings).toEqual([
      { line: 1, message: 'the BUILDKIT_SYNTAX build argument replaces this directive' },
    ]);
  });

  it('warns that BuildKit rejects an escape token other than backslash or backtick', () => {
    expect(lineAndMessage(analyzeDockerfile(`# escape=|\n${BODY}`).warnings)).toEqual([
      expect.stringMatching(/^1: .*BuildKit fails with "invalid escape token"$/),
    ]);
  });
});

describe('analyzeDockerfile: the escape directive', () => {
  const run = 'RUN --mount=type=secret,id=one `\n    --mount=type=secret,id=two true\n';
  // With a backtick escape these two lines are one RUN; without, they are two.
  const twoRuns = 'RUN --mount=type=secret,id=one echo `\nRUN --mount=type=secret,id=two true\n';

  it('continues lines with a backtick when the directive says so', () => {
    const ids = (text: string) => analyzeDockerfile(text).secretMounts.map((mount) => mount.id);

    expect(ids(`# escape=\`\n${BODY}${run}`)).toEqual(['one', 'two']);
    expect(ids(`# escape=\`\n${BODY}${twoRuns}`)).toEqual(['one']);
  });

  it.each([
    ['after a comment', '# a comment\n# escape=`\n'],
    ['after an unknown directive', '# foo=bar\n# escape=`\n'],
    ['after a blank line', '\n# escape=`\n'],
  ])('ignores the directive %s, as BuildKit does', (_, header) => {
    const ids = (text: string) => analyzeDockerfile(text).secretMounts.map((mount) => mount.id);

    expect(ids(`${header}${BODY}${run}`)).toEqual(['one']);
    expect(ids(`${header}${BODY}${twoRuns}`)).toEqual(['one', 'two']);
  });
});
