import { describe, expect, it } from 'vitest';

import {
  DOCKER_HUB_KEY,
  isValidRegistryHost,
  normalizeRegistryHost,
  registryOfImage,
} from './registry-host.js';

describe('normalizeRegistryHost', () => {
  it.each([
    'docker.io',
    'index.docker.io',
    'registry-1.docker.io',
    'https://index.docker.io/v1/',
    'https://index.docker.io/v1',
    'https://index.docker.io',
    'https://docker.io',
    'Docker.IO',
    '  docker.io  ',
    'https://registry-1.docker.io/v2/',
  ])('folds the Docker Hub spelling %j into the config key', (input) => {
    expect(normalizeRegistryHost(input)).toBe('https://index.docker.io/v1/');
  });

  it.each([
    ['registry.hub.docker.com', 'registry.hub.docker.com'],
    ['https://registry.hub.docker.com/', 'registry.hub.docker.com'],
    ['ghcr.io', 'ghcr.io'],
    ['https://ghcr.io/', 'ghcr.io'],
    ['http://localhost:5000', 'localhost:5000'],
    ['localhost:5000', 'localhost:5000'],
    ['GHCR.IO', 'ghcr.io'],
    ['myacr.azurecr.io/v2/some/path', 'myacr.azurecr.io'],
    [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    ],
  ])('keeps %j as its own host %j', (input, expected) => {
    expect(normalizeRegistryHost(input)).toBe(expected);
  });
});

describe('isValidRegistryHost', () => {
  it.each([
    DOCKER_HUB_KEY,
    'ghcr.io',
    'localhost',
    'localhost:5000',
    'localhost:65535',
    '[::1]:5000',
    'a-b.example.com',
  ])('accepts %j', (host) => {
    expect(isValidRegistryHost(host)).toBe(true);
  });

  it.each([
    '',
    'ghcr.io/path',
    '-bad.example.com',
    'example.com-',
    'host:port',
    'a b',
    'a,b',
    'localhost:99999',
    'localhost:0',
  ])('rejects %j', (host) => {
    expect(isValidRegistryHost(host)).toBe(false);
  });
});

describe('registryOfImage', () => {
  it.each([
    ['node:20', DOCKER_HUB_KEY],
    ['node', DOCKER_HUB_KEY],
    ['library/node:20', DOCKER_HUB_KEY],
    ['acme/app:1', DOCKER_HUB_KEY],
    ['docker.io/library/node:20', DOCKER_HUB_KEY],
    ['index.docker.io/acme/app:1', DOCKER_HUB_KEY],
    ['registry-1.docker.io/acme/app:1', DOCKER_HUB_KEY],
    ['docker/dockerfile:1', DOCKER_HUB_KEY],
    ['localhost:5000/private/base:1', 'localhost:5000'],
    ['localhost/private/base:1', 'localhost'],
    [`ghcr.io/a/b@sha256:${'0'.repeat(64)}`, 'ghcr.io'],
    ['registry.hub.docker.com/library/node:20', 'registry.hub.docker.com'],
    ['myacr.azurecr.io/team/app:latest', 'myacr.azurecr.io'],
    [`node@sha256:${'a'.repeat(64)}`, DOCKER_HUB_KEY],
  ])('pulls %j from %j', (reference, expected) => {
    expect(registryOfImage(reference)).toBe(expected);
  });
});
