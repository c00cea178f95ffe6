// `npm run bench`: measures ona-build against the plain tool in the same run and prints ratios.
//   1. `ona-build build` vs `docker buildx build` with the same 50 secrets as pre-written files,
//      on a fully cached build (needs the engine and registry from scripts/setup-engine.sh);
//   2. resolve + materialize 10,000 stored secrets, in process;
//   3. redaction throughput with 100 secrets;
//   4. the leak scan of a 1 GiB image (ONA_BENCH_SCAN_MB) vs a plain export of it.
// Timings are medians of several alternating runs; targets are printed next to the results.
//
//   ONA_BENCH_QUICK=1  one round of each, 200 secrets instead of 10,000, a 1 MiB redaction and
//                      an 8 MiB image: the numbers mean nothing, but every part runs (the test
//                      suite's smoke test of this script)

import { execFileSync } from 'node:child_process';
import { createSecretKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { describePlan } from '../dist/build/build.js';
import { planBuild } from '../dist/build/plan.js';
import { decrypt, encrypt } from '../dist/crypto/envelope.js';
import { materializeSecrets } from '../dist/materialize/materialize.js';
import { createRunDir } from '../dist/materialize/run-dir.js';
import { Redactor } from '../dist/redact/index.js';
import { resolveSecrets } from '../dist/secrets/resolve.js';
import { SqliteStore } from '../dist/secrets/store/sqlite-store.js';

import { target } from './report.js';
import { benchScan } from './scan-bench.js';

const REPO = path.resolve(import.meta.dirname, '..');
const CLI = path.join(REPO, 'dist', 'bin', 'ona-build.js');
const CREDENTIALS = '/var/lib/ona-build-registry/test-credentials.json';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-bench-'));
const shm = fs.mkdtempSync('/dev/shm/ona-bench-');

const QUICK = process.env.ONA_BENCH_QUICK === '1';
const ROUNDS = QUICK ? 1 : 9;
const MANY_SECRETS = QUICK ? 200 : 10_000;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1)} ms`;

function timeCommand(file, args, env) {
  const start = performance.now();
  execFileSync(file, args, { env, stdio: 'ignore' });
  return performance.now() - start;
}

function openStore(name) {
  return SqliteStore.open({
    path: path.join(work, name),
    masterKey: randomBytes(32),
    create: true,
  });
}

async function benchBuild() {
  if (!fs.existsSync(CREDENTIALS)) {
    console.log('build ratio: skipped (no engine/registry; run scripts/setup-engine.sh)');
    return;
  }
  const registry = JSON.parse(fs.readFileSync(CREDENTIALS, 'utf8'));
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    XDG_RUNTIME_DIR: shm,
    ONA_BUILD_STORE: path.join(work, 'build.db'),
    ONA_BUILD_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  // Its `stored ...` notices are not results: kept out of the report.
  const cli = (args, input) =>
    execFileSync(process.execPath, [CLI, ...args], {
      env,
      input,
      stdio: ['pipe', 'pipe', 'ignore'],
    });

  // The same 50 values: in the store for ona-build, as files for the plain tool.
  const files = path.join(shm, 'plain');
  fs.mkdirSync(files, { mode: 0o700 });
  const plainSecrets = [];
  for (let i = 0; i < 50; i++) {
    const id = `bench_${String(i).padStart(3, '0')}`;
    const value = randomBytes(48).toString('hex');
    const scope = i % 2 ? ['--org', 'b', '--project', 'p'] : ['--org', 'b'];
    cli(['secret', 'set', id, ...scope], value);
    fs.writeFileSync(path.join(files, id), value, { mode: 0o600 });
    plainSecrets.push('--secret', `id=${id},src=${path.join(files, id)}`);
  }
  cli(
    [
      'secret',
      'set',
      'reg',
      '--org',
      'b',
      '--registry',
      registry.host,
      '--username',
      registry.username,
    ],
    registry.password,
  );

  const plainConfig = path.join(shm, 'docker-config');
  fs.mkdirSync(plainConfig, { mode: 0o700 });
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  fs.writeFileSync(
    path.join(plainConfig, 'config.json'),
    JSON.stringify({ auths: { [registry.host]: { auth } } }),
    { mode: 0o600 },
  );

  const common = ['--network=none', '--progress=quiet', 'fixtures/bench'];
  const plain = () =>
    timeCommand('docker', ['buildx', 'build', ...plainSecrets, ...common], {
      ...env,
      DOCKER_CONFIG: plainConfig,
    });
  const wrapped = () =>
    timeCommand(process.execPath, [CLI, 'build', '--org', 'b', '--project', 'p', ...common], env);

  // Node's own start-up, in the same environment: the part of the overhead no wrapper avoids.
  const bareNode = () => timeCommand(process.execPath, ['-e', '0'], env);

  plain();
  wrapped();
  const plainTimes = [];
  const wrappedTimes = [];
  const nodeTimes = [];
  for (let i = 0; i < ROUNDS; i++) {
    plainTimes.push(plain());
    wrappedTimes.push(wrapped());
    nodeTimes.push(bareNode());
  }
  const ratio = median(wrappedTimes) / median(plainTimes);
  console.log(
    `cached build, 50 secrets: docker buildx build ${ms(median(plainTimes))}, ` +
      `ona-build build ${ms(median(wrappedTimes))}, ratio ${ratio.toFixed(2)} ` +
      target(ratio <= 1.4, '<= 1.40'),
  );
  const overhead = median(wrappedTimes) - median(plainTimes);
  console.log(`  overhead ${ms(overhead)}, of which Node's own start-up ${ms(median(nodeTimes))}`);
}

// The same number of files as the 10,000 secrets, created the same way (O_EXCL, 0600, one write)
// with nothing else done: what the filesystem itself costs on this machine.
function timeBareFiles(count) {
  const dir = fs.mkdtempSync(path.join(shm, 'bare-'));
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;
  const value = randomBytes(32);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const fd = fs.openSync(path.join(dir, String(i)), flags, 0o600);
    fs.writeSync(fd, value);
    fs.closeSync(fd);
  }
  const elapsed = performance.now() - start;
  fs.rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

// The same number of AES-256-GCM openings as the store does for 10,000 secrets (32-byte values,
// one key, associated data on each) with nothing else done: what the cipher itself costs here.
function timeBareDecryptions(count) {
  const key = createSecretKey(randomBytes(32));
  const aad = Buffer.from('organization\0o\0o\0s0\0env');
  const sealed = Array.from({ length: count }, () => encrypt(key, randomBytes(32), aad));
  const start = performance.now();
  for (const one of sealed) decrypt(key, one, aad);
  return performance.now() - start;
}

async function benchMaterialize() {
  const store = openStore('10k.db');
  const scopes = [
    { kind: 'organization', org: 'o', owner: 'o' },
    { kind: 'project', org: 'o', owner: 'p' },
  ];
  for (let i = 0; i < MANY_SECRETS; i++) {
    await store.put({ name: `s${i}`, type: 'env', scope: scopes[i % 2], value: randomBytes(32) });
  }

  const times = [];
  const bareTimes = [];
  const decryptTimes = [];
  for (let round = 0; round < (QUICK ? 1 : 7); round++) {
    bareTimes.push(timeBareFiles(MANY_SECRETS));
    decryptTimes.push(timeBareDecryptions(MANY_SECRETS));
    const runDir = createRunDir(shm);
    const start = performance.now();
    const { secrets } = await resolveSecrets(store, { org: 'o', project: 'p' }, 'build');
    const info = { context: '.', userSecrets: [] };
    const builder = { docker: 'docker', kind: 'buildx' };
    const plan = planBuild({ builder, runDir: runDir.path, secrets, passthrough: ['.'], info });
    await materializeSecrets(plan, secrets, {
      env: { HOME: work },
      helperExists: () => false,
      listHelperServers: async () => [],
    });
    times.push(performance.now() - start);
    runDir.remove();
    if (round === 0 && describePlan(plan).secrets.length !== MANY_SECRETS) {
      throw new Error('bad plan');
    }
  }
  store.close();
  const total = median(times);
  const count = MANY_SECRETS.toLocaleString('en-US');
  console.log(
    `resolve + materialize ${count} secrets: ${ms(total)} ${target(total < 150, '< 150 ms')}`,
  );
  const files = median(bareTimes);
  const decryptions = median(decryptTimes);
  console.log(`  creating ${count} bare files on the same tmpfs: ${ms(files)}`);
  console.log(`  ${count} bare AES-256-GCM decryptions: ${ms(decryptions)}`);
  console.log(
    `  the two together, with no store, plan or docker config: ${ms(files + decryptions)}`,
  );
}

function benchRedaction() {
  const redactor = new Redactor();
  redactor.add(
    Array.from({ length: 100 }, (_, i) => ({
      id: `s${i}`,
      value: Buffer.from(randomBytes(24).toString('base64')),
    })),
  );
  const line = Buffer.from('#12 3.456 Step output: compiling module foo/bar/baz.ts ... ok\n');
  const data = Buffer.concat(
    Array.from({ length: Math.ceil(((QUICK ? 1 : 64) << 20) / line.length) }, () => line),
  );

  const times = [];
  for (let round = 0; round < (QUICK ? 1 : 5); round++) {
    const start = performance.now();
    redactor.redactBuffer(data);
    times.push(performance.now() - start);
  }
  const mbPerSecond = data.length / 1e6 / (median(times) / 1000);
  const met = target(mbPerSecond >= 200, '>= 200 MB/s');
  console.log(`redaction, 100 secrets: ${mbPerSecond.toFixed(0)} MB/s ${met}`);
}

if (QUICK) console.log('quick run (ONA_BENCH_QUICK=1): every part runs, no number means anything');
try {
  await benchBuild();
  await benchMaterialize();
  benchRedaction();
  if (fs.existsSync(CREDENTIALS)) await benchScan();
  else console.log('leak scan: skipped (no engine; run scripts/setup-engine.sh)');
} finally {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(shm, { recursive: true, force: true });
}
