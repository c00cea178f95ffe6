// `ona-build devcontainer build`: builds the dev container configuration of a workspace with the
// organization's and project's secrets, with no change to devcontainer.json.

import type { Argv } from 'yargs';

import { runDevcontainerBuild } from '../build/devcontainer-build.js';
import { SignalTrap } from '../signals.js';
import { withContext, type ArgsOf } from './run-command.js';

export const command = 'devcontainer <command>';
export const describe = 'Dev container commands';

export function builder(yargs: Argv) {
  return yargs.command(buildCommand).demandCommand(1);
}

export function handler(): void {}

function buildBuilder(yargs: Argv) {
  return yargs
    .parserConfiguration({ 'unknown-options-as-args': true })
    .option('org', { type: 'string', demandOption: true, describe: 'Organization' })
    .option('project', { type: 'string', demandOption: true, describe: 'Project' })
    .option('workspace-folder', {
      type: 'string',
      default: '.',
      describe: 'The workspace holding .devcontainer/',
    })
    .option('config', { type: 'string', describe: 'The devcontainer.json to use' })
    .option('dry-run', { type: 'boolean', describe: 'Print the plan; never values' })
    .option('tmpdir', { type: 'string', describe: 'Directory for secret files; must be a tmpfs' })
    .option('allow-disk-secrets', {
      type: 'boolean',
      describe: 'Allow secret files on a filesystem that is not tmpfs',
    })
    .option('rebuild-on-secret-change', {
      type: 'boolean',
      describe: 'Rebuild stages that mount secrets changed since the last build',
    })
    .positional('args', { type: 'string', array: true, describe: 'docker buildx build options' });
}

const buildCommand = {
  command: 'build [args..]',
  describe: 'Build the dev container image with organization and project secrets',
  builder: buildBuilder,
  handler: withContext<ArgsOf<typeof buildBuilder>>(async (args, context) => {
    const signals = new SignalTrap();
    try {
      return await runDevcontainerBuild({
        principal: { org: args.org, project: args.project },
        workspaceFolder: args.workspaceFolder,
        configFile: args.config,
        buildxArgs: (args.args ?? []).map(String),
        source: context.openSource(),
        redactor: context.redactor,
        logger: context.logger,
        signals,
        env: context.env,
        stateDir: context.stateDir,
        stdout: context.stdout,
        stderr: context.stderr,
        dryRun: args.dryRun,
        tmpdir: args.tmpdir ?? context.env.ONA_BUILD_TMPDIR,
        allowDiskSecrets: args.allowDiskSecrets,
        rebuildOnSecretChange: args.rebuildOnSecretChange,
        dockerClient: async () =>
          new (await import('../docker/dockerode-client.js')).DockerodeClient(),
      });
    } finally {
      signals.dispose();
    }
  }),
};
