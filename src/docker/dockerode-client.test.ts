import { describe, expect, it } from 'vitest';

import { digestFor } from './dockerode-client.js';

describe('digestFor', () => {
  const digests = [
    'localhost:5000/base/busybox@sha256:aaa',
    'localhost:5000/private/base@sha256:aaa',
  ];

  it.each([
    ['localhost:5000/private/base:1', 'localhost:5000/private/base@sha256:aaa'],
    ['localhost:5000/base/busybox:1', 'localhost:5000/base/busybox@sha256:aaa'],
    ['localhost:5000/private/base', 'localhost:5000/private/base@sha256:aaa'],
    ['localhost:5000/private/base@sha256:aaa', 'localhost:5000/private/base@sha256:aaa'],
    ['localhost:5000/other:1', undefined],
  ])('gives %s the digest %s', (image, expected) => {
    expect(digestFor(image, digests)).toBe(expected);
  });

  it('matches Docker Hub names however they are written', () => {
    expect(digestFor('docker.io/library/node:20', ['node@sha256:bbb'])).toBe('node@sha256:bbb');
    expect(digestFor('node:20', ['docker.io/library/node@sha256:bbb'])).toBe(
      'docker.io/library/node@sha256:bbb',
    );
  });
});
