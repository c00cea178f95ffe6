// The `docker` shim that `ona-build exec` puts first on PATH. It is a POSIX sh script, so it
// costs nothing per docker call, and it only rewrites builds: for `docker build`, `docker buildx
// build` (or `b`), `docker builder build` and `docker image build` it adds the run's `--secret`
// flags right after the subcommand; every other docker command reaches the real client as it is.
// The flags hold ids and file paths only; values stay in the files. A build asking for rawjson
// progress is refused (exit 2), as `ona-build build` refuses it: that output cannot be redacted.
// So is a build writing its result, an archive, to stdout (`-o -`, `dest=-`, `type=tar` without a
// dest): the command's stdout is masked, and a masked archive is a corrupt one. `ona-build build`
// passes such an archive byte for byte, watching it for secrets instead.

import { RAWJSON_REFUSED } from '../build/progress.js';

const TTY_REFUSED =
  "tty progress needs a terminal, and the command's output goes through ona-build to be " +
  'masked: use --progress=plain (or auto, which picks it)';

const LEGACY_REFUSED =
  'DOCKER_BUILDKIT=0 selects the legacy builder, which has no secret mounts: leave it unset ' +
  'under ona-build exec';

const UNHANDLED_REFUSED =
  'docker buildx bake and buildx debug builds would get neither the stored secrets nor the ' +
  'checks of ona-build exec: use docker buildx build, or ona-build build';

const ARCHIVE_REFUSED =
  'a build result written to stdout (-o -) would be masked like all output, which corrupts ' +
  'the archive: write it to a file (-o type=tar,dest=FILE), or run ona-build build -o -, ' +
  'which passes it unchanged';

/** Quotes a string for sh: single quotes, with embedded single quotes closed and escaped. */
export function shQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export interface ShimOptions {
  /** Absolute path of the real docker client. */
  readonly realDocker: string;
  /** Flags to add to each build: `--secret`, `id=...,src=...` pairs. */
  readonly buildFlags: readonly string[];
  /**
   * The ids those flags provide. A build's own `--secret` with one of them is refused, as
   * `ona-build build` refuses it: buildx would take one of the two, silently.
   */
  readonly ids: readonly string[];
  /**
   * The command that checks a build's own arguments as `ona-build build` would (node, the CLI,
   * `exec-check`, the run directory); without it, only the checks in this script are made.
   */
  readonly check?: readonly string[];
}

export function shimScript(options: ShimOptions): string {
  const flags = options.buildFlags.map(shQuote).join(' ');
  const check = (options.check ?? []).map(shQuote).join(' ');
  return `#!/bin/sh
# Written by ona-build exec for this run only; removed when the command exits.
real=${shQuote(options.realDocker)}
refuse() {
  printf 'ona-build exec: %s\\n' "$1" >&2
  exit 2
}
rawjson() { refuse ${shQuote(RAWJSON_REFUSED)}; }
tty() { refuse ${shQuote(TTY_REFUSED)}; }
# An --output value read as buildx reads it: CSV fields (quotes dropped), keys in any case with
# blanks around them; \`-\`, dest=- and a tar or oci archive without a dest go to stdout.
output() {
  spec=$(printf '%s' "$1" | tr -d '"')
  [ "$spec" = - ] && archive
  case $spec in *=*) ;; *) return ;; esac
  type= dest=
  old_ifs=$IFS
  IFS=,
  set -f
  for field in $spec; do
    key=$(printf '%s' "\${field%%=*}" | tr -d ' \t' | tr '[:upper:]' '[:lower:]')
    case $key in type) type=\${field#*=} ;; dest) dest=\${field#*=} ;; esac
  done
  set +f
  IFS=$old_ifs
  [ "$dest" = - ] && archive
  if [ -z "$dest" ]; then case $type in tar|oci) archive ;; esac; fi
}
archive() { refuse ${shQuote(ARCHIVE_REFUSED)}; }
# A shorthand, bundled as pflag reads it: -q takes no value, so -qo VALUE and -qoVALUE are -o.
shorthand() {
  rest=\${1#-}
  while :; do case $rest in q*) rest=\${rest#q} ;; *) break ;; esac; done
  case $rest in
    o) output_next=yes ;;
    o*) rest=\${rest#o}; output "\${rest#=}" ;;
  esac
}
${secretCheck(options.ids)}
state=global
build=no
previous=
output_next=no
own=0
classic=no
progress_flag=no
for arg do
  shift
  set -- "$@" "$arg"
  if [ $build = yes ]; then
    own=$((own + 1))
    case $arg in --progress|--progress=*) progress_flag=yes ;; esac
    case $previous:$arg in --progress:rawjson|*:--progress=rawjson) rawjson ;; esac
    case $previous:$arg in --progress:tty|*:--progress=tty) tty ;; esac
    if [ $output_next = yes ]; then output_next=no; output "$arg"
    else
      case $arg in
        --output) output_next=yes ;;
        --output=*) output "\${arg#--output=}" ;;
        --*) ;;
        -?*) shorthand "$arg" ;;
      esac
    fi
    case $previous in --secret) secret "$arg" ;; esac
    case $arg in --secret=*) secret "\${arg#--secret=}" ;; esac
    previous=$arg
  fi
  case $state in
    skip-global) state=global; continue ;;
    skip-buildx) state=buildx; continue ;;
    done) continue ;;
  esac
  case $state:$arg in
    global:-H|global:--host|global:-c|global:--context|global:--config|global:-l|\\
    global:--log-level|global:--tlscacert|global:--tlscert|global:--tlskey)
      state=skip-global ;;
    global:-*) ;;
    global:build|buildx:build|buildx:b|builder:build|builder:b|image:build)
      [ $state = buildx ] || classic=yes
      set -- "$@" ${flags}
      state=done
      build=yes ;;
    global:buildx|global:builder|global:image) state=$arg ;;
    global:bake|buildx:bake|buildx:debug|builder:bake|builder:debug)
      refuse ${shQuote(UNHANDLED_REFUSED)} ;;
    buildx:--builder) state=skip-buildx ;;
    buildx:-*) ;;
    *) state=done ;;
  esac
done
if [ $build = yes ] && [ $progress_flag = no ]; then
  # The variable counts only without a --progress flag, which wins over it. Its default, auto,
  # would pick tty on a terminal the command made (script -c), whose rows cut secrets.
  case \${BUILDKIT_PROGRESS:-auto} in
    rawjson) rawjson ;;
    tty) tty ;;
    auto) export BUILDKIT_PROGRESS=plain ;;
  esac
fi
# Only the docker client's own build reads it (false as Go's ParseBool reads it); buildx always
# uses BuildKit.
if [ $classic = yes ]; then
  case \${DOCKER_BUILDKIT:-} in 0|f|F|false|FALSE|False) refuse ${shQuote(LEGACY_REFUSED)} ;; esac
fi
${
  check === ''
    ? ''
    : `if [ $build = yes ]; then ${check} "$own" -- "$@" || exit $?; fi
`
}exec "$real" "$@"
`;
}

/**
 * `secret SPEC`: refuses a spec naming one of `ids`, as a field of its own or quoted whole as CSV
 * allows (`"id=X"`). Keys are case-insensitive to buildx; the id is matched as written (quoted,
 * so literally) and named in the refusal: it is a secret's name, never a value.
 */
function secretCheck(ids: readonly string[]): string {
  if (ids.length === 0) return 'secret() { :; }';
  const branches = ids.map((id) => {
    const key = `[iI][dD]=${shQuote(id)}`;
    const message =
      `--secret id=${id} is also provided by ona-build from the store: buildx would use only ` +
      'one of them; remove the flag or rename one of them';
    return `    *,${key},*|*,'"'${key}'"',*) refuse ${shQuote(message)} ;;`;
  });
  return ['secret() {', '  case ",$1," in', ...branches, '  esac', '}'].join('\n');
}
