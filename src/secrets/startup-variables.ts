// Variables that change how programs start or what they load: a shell's startup file (BASH_ENV),
// a runtime's extra options (NODE_OPTIONS, JAVA_TOOL_OPTIONS), the dynamic loader's settings, the
// commands git and ssh run, and the docker and BuildKit clients' own configuration. The reserved
// names (validate.ts) cannot be secrets at all; these can, as a team may mean it, but setting one
// is worth a second look: every process of a running environment then runs with it.

const STARTUP_NAMES = new Set([
  'BASH_ENV',
  'ENV',
  'IFS',
  'PROMPT_COMMAND',
  'PS4',
  'NODE_OPTIONS',
  'NODE_PATH',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PERL5OPT',
  'PERL5LIB',
  'RUBYOPT',
  'GIT_SSH_COMMAND',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
]);

const STARTUP_PREFIXES = ['LD_', 'DYLD_', 'DOCKER_', 'BUILDKIT_', 'BUILDX_', 'ONA_BUILD_'];

/** Whether programs read `name` as configuration when they start (names are case-sensitive). */
export function isStartupVariable(name: string): boolean {
  return STARTUP_NAMES.has(name) || STARTUP_PREFIXES.some((prefix) => name.startsWith(prefix));
}
