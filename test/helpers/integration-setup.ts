// Runs before every integration test file. testcontainers must never start its Ryuk reaper: that
// image would be pulled from Docker Hub, and no test may send traffic off this machine.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
