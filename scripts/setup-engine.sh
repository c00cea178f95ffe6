#!/usr/bin/env bash
# Installs and starts what ona-build's integration tests need on a Debian bookworm machine
# (root, no systemd, no internet except Debian's apt archive and the npm registry):
#   - dockerd (Debian docker.io) with the buildx plugin (taken from Debian trixie),
#   - a password-protected registry on 127.0.0.1:5000 (Debian docker-registry, no container),
#   - a busybox base image built from busybox-static and pushed to that registry,
#     because no image can be pulled from any public registry here.
# Idempotent: a rerun only checks what is already up and is fast.
set -euo pipefail

log() { printf '[setup-engine] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"

# The newer CLI in /usr/local/bin (28.x) is what the tests use; it needs the buildx plugin.
# Debian's /usr/bin/docker (20.10) still has the classic built-in BuildKit client.
DOCKER=/usr/local/bin/docker
[[ -x $DOCKER ]] || DOCKER=/usr/bin/docker

PLUGIN_DIR=/usr/libexec/docker/cli-plugins
DOCKERD_LOG=/var/log/ona-build-dockerd.log
REG_DIR=/var/lib/ona-build-registry
REG_CONF=$REG_DIR/config.yml
REG_HTPASSWD=$REG_DIR/htpasswd
REG_PASSWORD_FILE=$REG_DIR/password
REG_CREDS=$REG_DIR/test-credentials.json
REG_LOG=/var/log/ona-build-registry.log
REG_PIDFILE=/run/ona-build-registry.pid
REG_ADDR=127.0.0.1:5000
REG_HOST=localhost:5000
REG_USER=ona-ci
# Both tags hold the same image; "private/" is the name tests use to show auth is needed.
BASE_TAGS=("$REG_HOST/base/busybox:1" "$REG_HOST/private/base:1")

export DEBIAN_FRONTEND=noninteractive

# Wait up to $1 seconds for command "${@:2}" to succeed.
wait_for() {
  local secs=$1; shift
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < end)) || return 1
    sleep 0.5
  done
}

# Is pid $1 a running (not zombie) process named $2? kill -0 alone says yes for zombies,
# and killed daemons here can linger as zombies for a while (PID 1 reaps them late).
proc_running() {
  local st
  [[ -n $1 ]] && st=$(ps -o stat=,comm= -p "$1" 2>/dev/null) || return 1
  [[ $st != Z* && $st == *" $2" ]]
}

# Remove pid file $1 unless it names a running process called $2. dockerd refuses to start
# while its pid file names a live pid (zombies included), e.g. after a session was killed.
drop_stale_pidfile() {
  [[ -f $1 ]] || return 0
  proc_running "$(<"$1")" "$2" || rm -f "$1"
}

# ---------------------------------------------------------------------------------------------
# 1. Debian packages
# ---------------------------------------------------------------------------------------------
PKGS=(docker.io docker-registry busybox-static apache2-utils curl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' \
    || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  # No init system here, but the packages' postinst scripts would still try to start their
  # services through invoke-rc.d: Debian's own registry would grab :5000 without auth and
  # dockerd would start with its default bridge/iptables setup. policy-rc.d exit 101 forbids
  # that; we start both ourselves below with our own flags and config.
  made_policy=
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -qq
  # Recommends (apparmor, git, needrestart, ...) are not needed and only slow the install.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [[ -z $made_policy ]] || rm -f /usr/sbin/policy-rc.d
fi

# ---------------------------------------------------------------------------------------------
# 2. buildx plugin from Debian trixie (bookworm has no docker-buildx package)
# ---------------------------------------------------------------------------------------------
if ! "$DOCKER" buildx version >/dev/null 2>&1; then
  log "fetching docker-buildx from Debian trixie"
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064  # expand $tmp now
  trap "rm -rf '$tmp'" EXIT
  # apt sandboxes downloads as user _apt, which can't enter mktemp's 0700 directory nor
  # write the .deb into a root-owned one: give _apt the download dir.
  chmod 0755 "$tmp"
  mkdir -p "$tmp/parts" "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/dl"
  if id _apt >/dev/null 2>&1; then chown _apt "$tmp/dl"; fi
  # Take only the main archive's stanza (not -security, not -updates) and switch it to trixie.
  # This list lives in $tmp and is used by this one apt call only: the system's sources stay
  # bookworm and nothing gets upgraded.
  awk 'BEGIN { RS = ""; ORS = "\n\n" }
       /\nURIs:[ \t]*[^ \t\n]*\/debian\/?(\n|$)/ || /^URIs:[ \t]*[^ \t\n]*\/debian\/?(\n|$)/' \
    /etc/apt/sources.list.d/debian.sources \
    | sed -E 's/^Suites:.*/Suites: trixie/' >"$tmp/parts/trixie.sources"
  grep -q '^Suites: trixie' "$tmp/parts/trixie.sources" \
    || die "no main Debian archive entry in /etc/apt/sources.list.d/debian.sources"
  apt_opts=(
    -o Dir::Etc::SourceList=/dev/null
    -o "Dir::Etc::SourceParts=$tmp/parts"
    -o "Dir::State::Lists=$tmp/lists"
    -o "Dir::Cache=$tmp/cache"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
  )
  apt-get "${apt_opts[@]}" update -qq
  (cd "$tmp/dl" && apt-get "${apt_opts[@]}" download -qq docker-buildx)
  dpkg -x "$tmp"/dl/docker-buildx_*.deb "$tmp/x"
  # The plugin is a Go binary needing only glibc 2.34 symbols, so it runs on bookworm (2.36).
  install -D -m 0755 "$tmp/x/usr/libexec/docker/cli-plugins/docker-buildx" \
    "$PLUGIN_DIR/docker-buildx"
  rm -rf "$tmp"
  trap - EXIT
  "$DOCKER" buildx version >/dev/null || die "docker buildx version fails after install"
fi

# ---------------------------------------------------------------------------------------------
# 3. dockerd
# ---------------------------------------------------------------------------------------------
docker_up() { timeout 10 "$DOCKER" info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

if ! docker_up && [[ -f /var/run/docker.pid ]] \
  && proc_running "$(</var/run/docker.pid)" dockerd; then
  # A dockerd is running but not answering yet (still starting): give it time first.
  log "waiting for the running dockerd"
  wait_for 60 docker_up || die "dockerd (pid $(</var/run/docker.pid)) does not answer"
fi
if ! docker_up; then
  log "starting dockerd (log: $DOCKERD_LOG)"
  drop_stale_pidfile /var/run/docker.pid dockerd
  drop_stale_pidfile /var/run/docker/containerd/containerd.pid containerd
  # --bridge=none: no docker0 bridge, so nothing needs NAT and no container gets a route
  #   off the machine; tests use --network=none or host.
  # --iptables/--ip6tables=false: don't touch the host's firewall (there is nothing to NAT
  #   to, and the VM's kernel may lack some netfilter modules).
  # dockerd 20.10 knows --ip6tables (added in 20.10); older ones would refuse to start.
  flags=(--bridge=none --iptables=false)
  if dockerd --help 2>&1 | grep -q -- '--ip6tables'; then flags+=(--ip6tables=false); fi
  # setsid + nohup + every fd redirected: dockerd outlives this script and holds no pipe of
  # the caller open (a CI runner waiting for EOF on stdout would otherwise hang).
  # The proxy is a dead end on loopback: if anything ever asks this engine to pull from a
  # registry that is not on loopback (Docker Hub for a missing image, say), the request fails
  # at 127.0.0.1:9 instead of sending DNS or TCP traffic off the machine.
  HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
    NO_PROXY=localhost,127.0.0.0/8,::1 \
    setsid nohup dockerd "${flags[@]}" </dev/null >>"$DOCKERD_LOG" 2>&1 &
  dpid=$!
  disown || true
  # Up to 60 s, but give up at once if dockerd exits (bad flag, stale state, ...).
  end=$((SECONDS + 60))
  until docker_up; do
    if ! proc_running "$dpid" dockerd || ((SECONDS >= end)); then
      tail -n 30 "$DOCKERD_LOG" >&2
      die "dockerd did not come up"
    fi
    sleep 0.5
  done
fi

# ---------------------------------------------------------------------------------------------
# 4. Registry on 127.0.0.1:5000 with htpasswd auth
# ---------------------------------------------------------------------------------------------
mkdir -p "$REG_DIR/storage"
chmod 0700 "$REG_DIR"
# One random password per install: kept in a 0600 file so reruns (and tests) reuse it.
if [[ ! -s $REG_PASSWORD_FILE ]]; then
  (umask 077 && head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24 \
    >"$REG_PASSWORD_FILE")
fi
REG_PASSWORD=$(<"$REG_PASSWORD_FILE")
# docker-registry 2.x accepts only bcrypt entries, hence -B.
if ! htpasswd -vb "$REG_HTPASSWD" "$REG_USER" "$REG_PASSWORD" >/dev/null 2>&1; then
  (umask 077 && htpasswd -Bbc "$REG_HTPASSWD" "$REG_USER" "$REG_PASSWORD" 2>/dev/null)
fi
(umask 077 && printf '{"host":"%s","username":"%s","password":"%s"}\n' \
  "$REG_HOST" "$REG_USER" "$REG_PASSWORD" >"$REG_CREDS.tmp")
chmod 0600 "$REG_CREDS.tmp"
mv -f "$REG_CREDS.tmp" "$REG_CREDS"

# The http secret only signs upload state between requests; a fixed random one per install
# keeps reruns from rewriting the config (which would force a restart).
if [[ ! -s $REG_DIR/http-secret ]]; then
  (umask 077 && head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$REG_DIR/http-secret")
fi
conf_new=$(cat <<EOF
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $REG_DIR/storage
  delete:
    enabled: true
http:
  addr: $REG_ADDR
  secret: $(<"$REG_DIR/http-secret")
auth:
  htpasswd:
    realm: ona-build-test-registry
    path: $REG_HTPASSWD
EOF
)
conf_changed=
if [[ ! -f $REG_CONF ]] || [[ "$(<"$REG_CONF")" != "$conf_new" ]]; then
  printf '%s\n' "$conf_new" >"$REG_CONF"
  chmod 0600 "$REG_CONF"
  conf_changed=1
fi

reg_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "http://$REG_ADDR/v2/" || true; }
reg_up() { [[ $(reg_code) == 401 ]]; }

if [[ -n $conf_changed && -s $REG_PIDFILE ]] \
  && proc_running "$(<"$REG_PIDFILE")" docker-registry; then
  log "registry config changed: restarting it"
  rpid=$(<"$REG_PIDFILE")
  kill "$rpid"
  wait_for 10 bash -c "! ps -o stat= -p $rpid | grep -qv '^Z'" || true
fi
if ! reg_up; then
  code=$(reg_code)
  # 000 = nothing listening. Anything else is a foreign server on our port (e.g. Debian's
  # registry started without auth): refuse rather than test against the wrong thing.
  [[ $code == 000 ]] || die "something else answers $code on http://$REG_ADDR/v2/"
  log "starting registry (log: $REG_LOG)"
  setsid nohup docker-registry serve "$REG_CONF" </dev/null >>"$REG_LOG" 2>&1 &
  rpid=$!
  echo "$rpid" >"$REG_PIDFILE"
  disown || true
  end=$((SECONDS + 30))
  until reg_up; do
    if ! proc_running "$rpid" docker-registry || ((SECONDS >= end)); then
      tail -n 30 "$REG_LOG" >&2
      die "registry did not answer 401 on http://$REG_ADDR/v2/"
    fi
    sleep 0.5
  done
fi

# ---------------------------------------------------------------------------------------------
# 5. Base image: busybox rootfs -> docker import -> push (with throwaway credentials)
# ---------------------------------------------------------------------------------------------
# HEAD with auth: 200 if the tag is there. The Accept header asks for the schema2 manifest
# as pushed (no schema1 conversion on the registry side).
manifest_in_registry() { # repo:tag
  local ref=$1 repo tag code
  repo=${ref#"$REG_HOST/"}; tag=${repo##*:}; repo=${repo%:*}
  code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -I -u "$REG_USER:$REG_PASSWORD" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REG_ADDR/v2/$repo/manifests/$tag" || true)
  [[ $code == 200 ]]
}

need_push=
for t in "${BASE_TAGS[@]}"; do manifest_in_registry "$t" || need_push=1; done
if [[ -n $need_push ]]; then
  log "building and pushing the busybox base image"
  work=$(mktemp -d)
  cfg=$(mktemp -d)
  # shellcheck disable=SC2064  # expand now: the variables are local to this block.
  trap "rm -rf '$work' '$cfg'" EXIT
  root=$work/rootfs
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,proc,sys,dev,run,var/tmp}
  cp /bin/busybox "$root/bin/busybox"
  # Same result as `busybox --install -s`, without needing to chroot into the rootfs.
  for applet in $("$root/bin/busybox" --list-full); do
    [[ -e $root/$applet || -L $root/$applet ]] || ln -s /bin/busybox "$root/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
    >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp" "$root/var/tmp"
  chmod 0700 "$root/root"
  # Fixed owner/order/mtime: the layer (and its digest) is the same on every machine.
  tar -C "$root" --sort=name --owner=0 --group=0 --numeric-owner --mtime='2020-01-01 00:00Z' \
    -cf "$work/rootfs.tar" .
  "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' \
    "$work/rootfs.tar" "${BASE_TAGS[0]}" >/dev/null
  for t in "${BASE_TAGS[@]:1}"; do "$DOCKER" tag "${BASE_TAGS[0]}" "$t"; done
  # A throwaway DOCKER_CONFIG: root's ~/.docker/config.json must never hold these
  # credentials, since tests prove that pulls fail without them.
  # (Its "credentials stored unencrypted" warning is about that throwaway file: hidden.)
  printf '%s' "$REG_PASSWORD" \
    | DOCKER_CONFIG=$cfg "$DOCKER" login -u "$REG_USER" --password-stdin "$REG_HOST" \
      >"$work/login.log" 2>&1 || { cat "$work/login.log" >&2; die "docker login failed"; }
  for t in "${BASE_TAGS[@]}"; do DOCKER_CONFIG=$cfg "$DOCKER" push -q "$t" >/dev/null; done
  rm -rf "$work" "$cfg"
  trap - EXIT
  for t in "${BASE_TAGS[@]}"; do
    manifest_in_registry "$t" || die "$t not in the registry after push"
  done
fi
# On every run, drop local copies (also ones a previous test run pulled) so that builds
# really pull through the registry and its auth.
for t in "${BASE_TAGS[@]}"; do
  if "$DOCKER" image inspect "$t" >/dev/null 2>&1; then
    "$DOCKER" image rm "$t" >/dev/null
  fi
done

# ---------------------------------------------------------------------------------------------
# 6. Summary
# ---------------------------------------------------------------------------------------------
bk=$("$DOCKER" buildx inspect default 2>/dev/null | sed -n 's/^BuildKit version: *//p' \
  | head -n1)
cat <<EOF
setup-engine: ready
  docker CLI : $("$DOCKER" version --format '{{.Client.Version}}' 2>/dev/null) ($DOCKER)
  dockerd    : $("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null) (log $DOCKERD_LOG)
  buildx     : $("$DOCKER" buildx version 2>/dev/null)
  BuildKit   : ${bk:-unknown} (buildx docker driver)
  registry   : http://$REG_ADDR/v2/ answers $(reg_code) without credentials (log $REG_LOG)
  base images: ${BASE_TAGS[*]}
  test creds : $REG_CREDS
EOF
