// The post-build leak scan against a plain export of the same image. `benchScan()` imports a
// generated image (a mix of binary and text files, made on the fly: no network), then times in
// alternating rounds (a) exporting it through the engine API and dropping the bytes and
// (b) scanning it for 100 secrets with all their encoded forms, and prints the median of each
// and their ratio.
//
//   ONA_BENCH_SCAN_MB      image size in MiB (default 1024; 8 with ONA_BENCH_QUICK=1)
//   ONA_BENCH_SCAN_ROUNDS  timed rounds of each (default 3; 1 with ONA_BENCH_QUICK=1)
//
// Needs `npx tsc -p tsconfig.build.json` first: it imports the scanner from dist/.

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';

import Docker from 'dockerode';
import tar from 'tar-stream';

import { scanImage } from '../dist/scan/index.js';

import { target } from './report.js';

const MIB = 1 << 20;
const SCOPE = { kind: 'organization', org: 'bench', owner: 'bench' };

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

export async function benchScan() {
  const quick = process.env.ONA_BENCH_QUICK === '1';
  const megabytes = Number(process.env.ONA_BENCH_SCAN_MB ?? (quick ? 8 : 1024));
  const rounds = Number(process.env.ONA_BENCH_SCAN_ROUNDS ?? (quick ? 1 : 3));
  const docker = new Docker();
  const tag = `ona-bench-scan:${Date.now()}`;
  const secrets = benchSecrets();

  await importImage(docker, tag, megabytes * MIB, secrets);
  try {
    const { exportTimes, scanTimes } = await timeRounds(docker, tag, secrets, rounds);
    const ratio = median(scanTimes) / median(exportTimes);
    const size = megabytes >= 1024 ? `${megabytes / 1024} GiB` : `${megabytes} MiB`;
    console.log(
      `scan ${size} image, ${secrets.length} secrets: export ${seconds(median(exportTimes))}, ` +
        `scan ${seconds(median(scanTimes))}, ratio ${ratio.toFixed(2)} ` +
        target(ratio <= 1.3, '<= 1.30'),
    );
  } finally {
    await docker.getImage(tag).remove({ force: true });
  }
}

/** One untimed export to warm the page cache, then export and scan in turn. */
async function timeRounds(docker, tag, secrets, rounds) {
  const exportTimes = [];
  const scanTimes = [];

  await exportToNull(docker, tag);
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    await exportToNull(docker, tag);
    exportTimes.push(performance.now() - start);

    start = performance.now();
    const report = await scanImage({ image: tag, secrets, docker });
    scanTimes.push(performance.now() - start);
    checkFindings(report);
  }
  return { exportTimes, scanTimes };
}

// Reads the export and drops it, the cheapest way to take it: faster than writing it to
// /dev/null, whose writes each wait for a round trip through libuv's thread pool.
async function exportToNull(docker, tag) {
  const exported = await docker.getImage(tag).get();
  await finished(exported.resume());
}

// The image holds three planted leaks; finding exactly those shows the scan really looked.
function checkFindings(report) {
  const found = report.findings.map(({ secret, form, path }) => `${secret} ${form} ${path}`);
  const planted = ['bench_000 exact /app/.env', 'bench_001 base64 /srv/token.b64'];
  planted.push('bench_002 base64-auth /root/.docker/config.json');
  if (found.sort().join('\n') !== planted.join('\n')) {
    throw new Error(`the scan found ${JSON.stringify(found)}, expected ${planted.join(', ')}`);
  }
}

/**
 * 100 secrets shaped like real ones: prefixed API tokens, hex and base64 keys, passwords of 12
 * characters and more, and registry passwords. The shortest needle sets the scan's stride.
 */
function benchSecrets() {
  const shapes = [
    () => `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}`,
    () => `npm_${randomBytes(27).toString('base64url').slice(0, 36)}`,
    () => randomBytes(30).toString('base64'),
    () => randomBytes(16).toString('hex'),
    () => randomBytes(32).toString('hex'),
    () => `Pw!${randomBytes(9).toString('base64url').slice(0, 9)}`,
    () => `${randomBytes(12).toString('base64url')}-${randomBytes(4).toString('hex')}`,
  ];

  return Array.from({ length: 100 }, (_, index) => ({
    name: `bench_${String(index).padStart(3, '0')}`,
    scope: SCOPE,
    value: Buffer.from(shapes[index % shapes.length]()),
    ...(index % 20 === 2 && { registryUser: 'ci' }),
  }));
}

// The engine answers only once it has read the whole tar, so the files are written meanwhile.
async function importImage(docker, tag, bytes, secrets) {
  const [repo, version] = tag.split(':');
  const pack = tar.pack();
  const imported = docker
    .importImage(pack, { repo, tag: version })
    .then((progress) => followProgress(docker, progress))
    .catch((error) => {
      pack.destroy(error);
      throw error;
    });

  await Promise.all([writeFiles(pack, bytes, secrets), imported]);
}

function followProgress(docker, progress) {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(progress, (error, events) => {
      const failed = events?.find((event) => event.error);
      if (error || failed) reject(error ?? new Error(failed.error));
      else resolve();
    });
  });
}

/** Files of 256 B to 4 MiB, half binary and half text, then the three planted leaks. */
async function writeFiles(pack, bytes, secrets) {
  const pools = { binary: randomBytes(64 * MIB), text: textPool(16 * MIB) };
  const entry = (name, content) =>
    new Promise((resolve, reject) => {
      pack.entry({ name, size: content.length }, content, (error) =>
        error ? reject(error) : resolve(),
      );
    });

  for (let written = 0, index = 0; written < bytes; index++) {
    const size = Math.min(Math.round(256 * Math.exp(Math.random() * Math.log(16384))), 4 * MIB);
    const pool = index % 2 === 0 ? pools.binary : pools.text;
    const at = Math.floor(Math.random() * (pool.length - size));
    await entry(`usr/share/bench/d${index % 97}/f${index}`, pool.subarray(at, at + size));
    written += size;
  }

  const auth = Buffer.from(`ci:${secrets[2].value}`).toString('base64');
  await entry('app/.env', Buffer.from(`API_TOKEN=${secrets[0].value}\n`));
  await entry('srv/token.b64', Buffer.from(`${secrets[1].value.toString('base64')}\n`));
  await entry('root/.docker/config.json', Buffer.from(`{"auths":{"r":{"auth":"${auth}"}}}`));
  pack.finalize();
}

/** Text like an image's: source, lockfiles with base64 integrity hashes, hex digests, paths. */
function textPool(bytes) {
  const words = ['const', 'return', 'import', 'export', 'function', 'module', 'version', 'node'];
  const lines = [];

  for (let length = 0; length < bytes;) {
    const kind = lines.length % 5;
    let line;
    if (kind === 0) line = `    "integrity": "sha512-${randomBytes(64).toString('base64')}",`;
    else if (kind === 1) line = `${randomBytes(32).toString('hex')}  usr/lib/x/${lines.length}.so`;
    else {
      const picked = Array.from({ length: 8 }, (_, i) => words[(lines.length * 7 + i * 3) % 8]);
      line = `  ${picked.join(' ')}(${lines.length});`;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return Buffer.from(lines.join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) await benchScan();
