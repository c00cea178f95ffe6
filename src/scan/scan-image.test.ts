import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';

import { DockerUnavailableError, OnaBuildError } from '../errors.js';
import { scanImage } from './scan-image.js';

describe('scanImage', () => {
  it('reports an engine it cannot reach as unavailable, naming the image', async () => {
    const docker = new Dockerode({ socketPath: '/nonexistent/ona-build-test.sock' });

    const scan = scanImage({ image: 'app:1', secrets: [], docker });

    await expect(scan).rejects.toThrow(DockerUnavailableError);
    await expect(scan).rejects.toThrow('cannot reach the engine to export app:1');
  });

  it.each(['a b', 'app:1\n', ''])(
    'refuses %j as no image reference, not as an engine down',
    async (image) => {
      const docker = new Dockerode({ socketPath: '/nonexistent/ona-build-test.sock' });

      const error = await scanImage({ image, secrets: [], docker }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(OnaBuildError);
      expect(error).not.toBeInstanceOf(DockerUnavailableError);
      expect((error as OnaBuildError).exitCode).toBe(1);
      expect((error as OnaBuildError).message).toContain('is not an image reference');
    },
  );
});
