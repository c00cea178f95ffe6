import { removeImage } from './images.js';

// Runs before every integration test file. testcontainers must never start its Ryuk reaper: that
// image would be pulled from Docker Hub, and no test may send traffic off this machine.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';

// The base images live only in the loopback registry, behind its password: a test run, or anyone
// trying things by hand, may leave local copies that would let a build skip the authenticated
// pull the tests are about. Each file starts without them.
for (const image of ['localhost:5000/base/busybox:1', 'localhost:5000/private/base:1']) {
  await removeImage(image);
}
