// `ona-build devcontainer build`: builds the dev container configuration of a workspace with the
// organization's and project's secrets, with no change to devcontainer.json.

import type { Argv } from 'yargs';

import { runDevcontainerBuild } from '../build/devcontainer-build.js';
import { refuseInsideExec } from '../build/nesting.js';
import { SignalTrap } from '../signals.js';
import { buildOptions, toBuildOptions } from './build-options.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'devcontainer <command>';
export const describe = 'Dev container commands';

export function builder(yargs: Argv) {
  return yargs.command(buildCommand).demandCommand(1);
}

export function handler(): void {}

function buildBuilder(yargs: Argv) {
  return buildOptions(yargs)
    .option('workspace-folder', {
      type: 'string',
      default: '.',
      describe: 'The workspace holding .devcontainer/',
    })
    .option('config', { type: 'string', describe: 'The devcontainer.json to use' })
    .positional('args', { type: 'string', array: true, describe: 'docker buildx build options' });
}

const buildCommand = {
  command: 'build [args..]',
  describe: 'Build the dev container image with organization and project secrets',
  builder: buildBuilder,
  handler: withContext<ArgsOf<typeof buildBuilder>>(async (args, context) => {
    if (!args.dryRun) refuseInsideExec(context.env, 'ona-build devcontainer build');
    const signals = new SignalTrap();
    try {
      return await runDevcontainerBuild({
        ...toBuildOptions(args, context, signals),
        workspaceFolder: args.workspaceFolder,
        configFile: args.config,
        buildxArgs: (args.args ?? []).map(String),
        dockerClient: async () =>
          (await import('../docker/dockerode-client.js')).DockerodeClient.forEnv(context.env),
      });
    } finally {
      signals.dispose();
    }
  }),
};
