import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';

import { DockerUnavailableError } from '../errors.js';
import { scanImage } from './scan-image.js';

describe('scanImage', () => {
  it('reports an engine it cannot reach as unavailable, naming the image', async () => {
    const docker = new Dockerode({ socketPath: '/nonexistent/ona-build-test.sock' });

    const scan = scanImage({ image: 'app:1', secrets: [], docker });

    await expect(scan).rejects.toThrow(DockerUnavailableError);
    await expect(scan).rejects.toThrow('cannot reach the engine to export app:1');
  });
});
