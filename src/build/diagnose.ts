// Explains common build failures from the builder's redacted output, in terms of secrets and
// scopes: the user sees which stored credential a registry refused, or why a non-root step could
// not read its secret mount. Hints never contain values: they are built from plan data only.

import { describeScope } from '../secrets/validate.js';
import type { BuildPlan } from './plan.js';

const REFUSAL = /401 Unauthorized|403 Forbidden|unauthorized|authentication required|denied/i;
const PULL_HOST = /pulling from host (\S+)/;
// `cat: /x: Permission denied` (coreutils) and `cat: can't open '/x': Permission denied` (busybox).
const PERMISSION_DENIED = /'?([^\s:'"]+)'?: Permission denied/g;

const FRONTEND = /resolve image config for (\S+?):?\s*$/m;
// What docker clients print when they have no working buildx plugin. Given flags, docker 28 takes
// them as its own and prints its top-level usage instead of naming the command.
const NO_BUILDX = new RegExp(
  [
    'unknown command: docker buildx',
    "'buildx' is not a docker command",
    'unknown flag: --secret[\\s\\S]*Usage:\\s+docker \\[OPTIONS\\] COMMAND',
  ].join('|'),
);

// What the docker client and buildx print when the engine's socket or host cannot be reached.
const NO_ENGINE = new RegExp(
  [
    'Cannot connect to the Docker daemon',
    'error during connect',
    'dial unix \\S+: connect: (no such file|connection refused)',
  ].join('|'),
);

// An older Dockerfile frontend (dockerd 20.10's built-in one) meeting a mount option it predates.
const UNKNOWN_MOUNT_KEY = /dockerfile parse error line (\d+): unexpected key '([\w-]+)' in '/;

export function diagnoseFailure(output: string, plan: BuildPlan): string[] {
  return [
    ...engineHints(output),
    ...pluginHints(output, plan),
    ...frontendHints(output, plan),
    ...mountOptionHints(output),
    ...registryHints(output, plan),
    ...permissionHints(output, plan),
  ];
}

/** The builder could not reach the engine: nothing was built, and no secret was read. */
function engineHints(output: string): string[] {
  if (!NO_ENGINE.test(output)) return [];
  return [
    'the docker engine could not be reached: start it, or check DOCKER_HOST and the docker ' +
      'context (ona-build doctor checks both)',
  ];
}

/** docker found no working buildx: say which file it tried, since that one hides the others. */
function pluginHints(output: string, plan: BuildPlan): string[] {
  if (plan.builder.kind !== 'buildx' || !NO_BUILDX.test(output)) return [];

  const { plugin } = plan.builder;
  return [
    plugin
      ? `${plan.builder.docker} could not run its buildx plugin ${plugin.path}; that file hides ` +
        'any other buildx: repair or remove it, or install buildx again'
      : `${plan.builder.docker} has no working buildx plugin: install buildx ` +
        '(Debian: docker-buildx; Docker: docker-buildx-plugin)',
  ];
}

/**
 * A `# syntax=` directive makes BuildKit pull a frontend image before reading the Dockerfile; when
 * that fails the raw error is about a registry request. Say which image and why it matters.
 */
function frontendHints(output: string, plan: BuildPlan): string[] {
  const image = FRONTEND.exec(output)?.[1];
  if (!image || !/ERROR/.test(output)) return [];

  const where = plan.syntax ? ` (the # syntax= directive on line ${plan.syntax.line})` : '';
  return [
    `the Dockerfile frontend image ${image}${where} could not be pulled: the machine may be ` +
      'offline or rate-limited, or lack a credential for its registry. Store a registry ' +
      "secret for that registry, or remove the directive to use the builder's own frontend",
  ];
}

/** A mount option the builder's frontend does not know, env= above all: what works instead. */
function mountOptionHints(output: string): string[] {
  const match = UNKNOWN_MOUNT_KEY.exec(output);
  if (!match) return [];

  const [, line, key] = match;
  const hint = `this builder's Dockerfile frontend does not know the mount option ${key}= (line ${line})`;
  if (key !== 'env') return [`${hint}: use a newer BuildKit, or leave the option out`];
  return [
    `${hint}, which needs Dockerfile 1.10: read the secret's file instead, as every BuildKit ` +
      "can: RUN --mount=type=secret,id=ID sh -c 'VAR=$(cat /run/secrets/ID) ...'",
  ];
}

/** For each line where a registry refused access: whose credential it refused, if ours. */
function registryHints(output: string, plan: BuildPlan): string[] {
  const hints = new Set<string>();
  for (const line of output.split('\n').filter((text) => REFUSAL.test(text))) {
    const credential = plan.registries.find((registry) => line.includes(registry.host));
    const host = credential?.host ?? PULL_HOST.exec(line)?.[1];
    if (!host) continue;

    hints.add(
      credential
        ? `registry ${host} refused the credential of user ${credential.username} from ` +
            `${describeScope(credential.scope)}: check that secret's username and token`
        : `registry ${host} refused the pull and no secret holds a credential for it: ` +
            `store one with ona-build secret set NAME --registry ${host} --username USER`,
    );
  }
  return [...hints];
}

/**
 * BuildKit mounts secrets as root-owned 0400 files, and the host file's owner or mode has no
 * say; a step running as another USER needs uid=/gid= (or mode=) on the mount itself.
 */
function permissionHints(output: string, plan: BuildPlan): string[] {
  const hints = new Set<string>();
  for (const match of output.matchAll(PERMISSION_DENIED)) {
    const file = match[1];
    const id = plan.secrets.find((secret) => file === `/run/secrets/${secret.id}`)?.id;
    const isSecretPath = id !== undefined || file.startsWith('/run/secrets/');
    if (!isSecretPath && !plan.mountTargets.has(file)) continue;

    const name = id ?? plan.mountTargets.get(file) ?? file;
    hints.add(
      `a step could not read secret ${name} (${file}): secret mounts are owned by root with ` +
        'mode 0400; for a non-root USER add uid=<uid>,gid=<gid> (or mode=0444) to its --mount',
    );
  }
  return [...hints];
}
