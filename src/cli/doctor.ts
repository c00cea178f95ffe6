// `ona-build doctor`: engine, builder, tmpfs, store and key health on one screen. Each check says
// what is wrong and what to do; the exit code is 1 when any check fails.

import fs from 'node:fs';
import path from 'node:path';

import type { Argv } from 'yargs';

import { detectBuilder, namedClient } from '../build/builder.js';
import { builderEnv } from '../build/builder-env.js';
import { keyLinksProblem } from '../crypto/key-links.js';
import { loadMasterKey, MASTER_KEY_ENV } from '../crypto/master-key.js';
import { spawnChecked } from '../exec.js';
import { lexists } from '../lexists.js';
import { userDockerConfigDir } from '../materialize/docker-config.js';
import { chooseTempRoot } from '../materialize/temp-root.js';
import { defaultKeyFile, defaultStorePath } from '../paths.js';
import { SqliteStore } from '../secrets/store/sqlite-store.js';
import type { CommandContext } from './context.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'doctor';
export const describe = 'Check the engine, builder, tmpfs, store and key, on one screen';

export function builder(yargs: Argv) {
  return yargs.option('tmpdir', { type: 'string', describe: 'Check this secret directory' });
}

interface Check {
  readonly name: string;
  readonly run: () => Promise<string>;
}

export const handler = withContext<ArgsOf<typeof builder>>(async (args, context) => {
  const storePath = (args as { store?: string }).store ?? defaultStorePath(context.env);
  const keyFile = (args as { keyFile?: string }).keyFile ?? defaultKeyFile(context.env);
  const checks = doctorChecks(context, { storePath, keyFile, tmpdir: args.tmpdir });

  let failures = 0;
  for (const check of checks) {
    try {
      context.stdout.write(`ok    ${check.name.padEnd(8)} ${await check.run()}\n`);
    } catch (error) {
      failures++;
      const message = error instanceof Error ? error.message : String(error);
      context.stdout.write(`FAIL  ${check.name.padEnd(8)} ${context.redactor.redact(message)}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
});

function doctorChecks(
  context: CommandContext,
  paths: { storePath: string; keyFile: string; tmpdir?: string },
): Check[] {
  const { env, redactor } = context;
  const named = namedClient(env);
  const docker = named ?? 'docker';
  const userEnv = builderEnv(env, { DOCKER_CONFIG: userDockerConfigDir(env) });

  return [
    {
      name: 'engine',
      run: async () => {
        const format = '{{.Server.Version}} (API {{.Server.APIVersion}})';
        const result = await spawnChecked(docker, ['version', '--format', format], {
          env: userEnv,
          guard: redactor,
        });
        const output = Buffer.from(result.stdout ?? new Uint8Array())
          .toString()
          .trim();
        if (result.exitCode !== 0 || !output) {
          throw new Error(
            `no Docker engine answers through ${docker}: ` +
              'is the client installed, and dockerd running?',
          );
        }
        return `dockerd ${output}`;
      },
    },
    {
      name: 'builder',
      run: async () => {
        // Always asks the client: the point is to see that it really works.
        const dockerCli = named === undefined;
        const found = await detectBuilder({ docker, env: userEnv, guard: redactor, dockerCli });
        return found.kind === 'buildx'
          ? `buildx plugin (${docker} buildx build)`
          : `classic BuildKit client (DOCKER_BUILDKIT=1 ${docker} build); buildx is recommended`;
      },
    },
    {
      name: 'tmpfs',
      run: () => {
        const root = chooseTempRoot({ env, explicit: paths.tmpdir ?? env.ONA_BUILD_TMPDIR });
        const passedOver = root.passedOver.map((problem) => `; passed over ${problem}`);
        return Promise.resolve(`secret files go to ${root.path} (tmpfs)${passedOver.join('')}`);
      },
    },
    {
      name: 'key',
      run: () => {
        const fromEnv = env[MASTER_KEY_ENV] !== undefined;
        if (!fromEnv && !fs.existsSync(paths.keyFile)) {
          refuseUncreatable(paths.keyFile);
          return Promise.resolve(`${paths.keyFile} (created when the first secret is stored)`);
        }
        loadMasterKey({ env, keyFile: paths.keyFile, create: false });
        const linksProblem = fromEnv ? undefined : keyLinksProblem(paths.keyFile);
        if (linksProblem !== undefined) throw new Error(linksProblem);
        return Promise.resolve(`master key from ${fromEnv ? MASTER_KEY_ENV : paths.keyFile}`);
      },
    },
    {
      name: 'store',
      run: () => Promise.resolve(checkStore(env, paths)),
    },
  ];
}

function checkStore(env: NodeJS.ProcessEnv, paths: { storePath: string; keyFile: string }): string {
  // A missing store fails here as it fails every build and read, and is not created by looking.
  SqliteStore.checkExisting(paths.storePath);
  const masterKey = loadMasterKey({ env, keyFile: paths.keyFile, create: false });
  const store = SqliteStore.open({ path: paths.storePath, masterKey, create: false });
  try {
    const mode = (fs.statSync(paths.storePath).mode & 0o777).toString(8);
    if (mode !== '600') throw new Error(`${paths.storePath} has mode ${mode}: chmod 600 it`);
    return `${paths.storePath} opens with this key (mode ${mode})`;
  } finally {
    store.close();
  }
}

/** A file that is not there yet can be made only below a directory: the nearest that exists. */
function refuseUncreatable(file: string): void {
  let at = path.dirname(path.resolve(file));
  while (!lexists(at) && path.dirname(at) !== at) at = path.dirname(at);
  if (fs.statSync(at, { throwIfNoEntry: false })?.isDirectory()) return;
  throw new Error(`${file} cannot be created: ${at} is not a directory`);
}
