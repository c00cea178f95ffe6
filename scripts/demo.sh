#!/usr/bin/env bash
# The main job, end to end, on the embedded default store: store organization and project
# secrets (and the loopback registry's credential), show what a build of project "web" gets,
# then build fixtures/demo, whose RUN steps read the secrets through BuildKit secret mounts and
# print only their hashes. Needs the engine and registry from scripts/setup-engine.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

ona() { node dist/bin/ona-build.js "$@"; }
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

creds=/var/lib/ona-build-registry/test-credentials.json
[[ -r $creds ]] || { echo "demo: no loopback registry; run scripts/setup-engine.sh" >&2; exit 1; }

npm run --silent build

echo "== storing secrets (values come from stdin, never argv)"
org_token="org-token-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
project_token="project-token-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
npmrc=$'//npm.example.com/:_authToken=demo-npm-token\n'
printf '%s' "$org_token" | ona secret set API_TOKEN --org demo
printf '%s' "$project_token" | ona secret set API_TOKEN --org demo --project web
printf '%s' "$npmrc" | ona secret set npmrc --org demo --project web --mount /root/.npmrc
node -e 'process.stdout.write(require(process.argv[1]).password)' "$creds" |
  ona secret set registry --org demo --registry localhost:5000 --username ona-ci

echo "== what a build of demo/web gets (no values)"
ona secret resolve --org demo --project web

echo "== building fixtures/demo"
ona build --org demo --project web --network=none --progress=plain --no-cache \
  -t ona-build-demo:latest fixtures/demo

echo "== expected hashes (the project token wins over the organization's)"
echo "API_TOKEN sha256: $(sha "$project_token")"
echo "npmrc sha256: $(sha "$npmrc")"
