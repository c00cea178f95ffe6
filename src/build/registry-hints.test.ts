import { describe, expect, it } from 'vitest';

import { analyzeDockerfile } from '../dockerfile/index.js';
import type { Secret } from '../secrets/model.js';
import { DOCKER_HUB_KEY } from '../secrets/registry-host.js';
import { lookalikeRegistryWarnings, missingHelperNotices } from './registry-hints.js';

const ORG = { kind: 'organization', org: 'acme', owner: 'acme' } as const;

function registrySecret(name: string, host: string): Secret {
  return {
    name,
    type: 'registry',
    scope: ORG,
    registry: { host, username: 'acme-ci' },
    value: Buffer.from('dckr_pat_not-a-real-token'),
  };
}

function warningsFor(dockerfile: string, secrets: Secret[]): string[] {
  return lookalikeRegistryWarnings(analyzeDockerfile(dockerfile).registries, secrets);
}

const HUB = registrySecret('hub', DOCKER_HUB_KEY);

describe('lookalikeRegistryWarnings', () => {
  it('warns once that registry.hub.docker.com does not get the Docker Hub credential (C16)', () => {
    const dockerfile = [
      'FROM node:20 AS a',
      'FROM registry.hub.docker.com/library/node:20 AS b',
      'COPY --from=registry.hub.docker.com/library/alpine:3 /etc/os-release /',
    ].join('\n');

    const warnings = warningsFor(dockerfile, [HUB]);

    expect(warnings).toEqual([
      'line 2 pulls from registry.hub.docker.com, which the docker client does not treat as ' +
        'Docker Hub: the Docker Hub credential (secret hub) is not used for it, so the pull is ' +
        'anonymous; write the image as docker.io/..., or store a credential for ' +
        'registry.hub.docker.com',
    ]);
    expect(warnings.join('')).not.toContain('dckr_pat');
  });

  it.each([
    ['the Hub spellings the client folds together', 'FROM docker.io/library/node:20', [HUB]],
    ['no Docker Hub credential stored', 'FROM registry.hub.docker.com/library/node:20', []],
    [
      'a credential stored for the look-alike host itself',
      'FROM registry.hub.docker.com/library/node:20',
      [HUB, registrySecret('hub-alias', 'registry.hub.docker.com')],
    ],
  ])('says nothing for %s', (_label, dockerfile, secrets) => {
    expect(warningsFor(dockerfile, secrets)).toEqual([]);
  });
});

describe('missingHelperNotices', () => {
  const ecr = { helper: 'ecr-login', registry: '123.dkr.ecr.eu-west-1.amazonaws.com' };
  const gcloud = { helper: 'gcloud', registry: 'gcr.io' };
  const desktop = { helper: 'desktop', registry: '*' };

  it('warns, naming helper and registry, when the build pulls from a registry it served', () => {
    const notices = missingHelperNotices([ecr, gcloud], ['gcr.io', 'localhost:5000'], []);

    expect(notices).toEqual([
      {
        level: 'debug',
        message:
          'credential helper docker-credential-ecr-login ' +
          '(for 123.dkr.ecr.eu-west-1.amazonaws.com) is not installed',
      },
      {
        level: 'warn',
        message:
          "docker-credential-gcloud (your docker config's credHelpers for gcr.io) is not " +
          'installed: the build pulls from gcr.io without the credentials it would give; ' +
          'install it, or store a registry secret for that registry',
      },
    ]);
  });

  it('only notes a missing credsStore, naming the registries pulled with no stored secret', () => {
    const notices = missingHelperNotices(
      [desktop],
      ['localhost:5000', 'quay.io', 'ghcr.io'],
      ['localhost:5000'],
    );

    expect(notices).toEqual([
      {
        level: 'info',
        message:
          "docker-credential-desktop (your docker config's credsStore) is not installed: the " +
          'build pulls from quay.io, ghcr.io without the credentials it would give; install it, ' +
          'or store a registry secret for those registries',
      },
    ]);
  });

  it('keeps to a debug line when a stored secret covers the registry', () => {
    const notices = missingHelperNotices([gcloud, desktop], ['gcr.io'], ['gcr.io']);

    expect(notices.map((n) => n.level)).toEqual(['debug', 'debug']);
  });

  it("notes a helper set for one registry when the build's registries are not knowable", () => {
    const notices = missingHelperNotices([gcloud, desktop], undefined, []);

    expect(notices).toEqual([
      {
        level: 'info',
        message:
          "docker-credential-gcloud (your docker config's credHelpers for gcr.io) is not " +
          'installed: pulls from gcr.io go without the credentials it would give',
      },
      {
        level: 'debug',
        message: 'credential helper docker-credential-desktop (for *) is not installed',
      },
    ]);
  });
});
