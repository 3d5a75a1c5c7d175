#!/usr/bin/env bash
# Validates deployments/ without a Docker engine (ARCHITECTURE §8) and fails on any error:
# - every compose file with each validator present: `docker compose config -q` (v2: the
#   reference), `docker-compose config -q` (v1, Debian's 1.29: it knows neither top-level
#   `name:` nor `include:`, so it gets each file without `name:` and each included file on its
#   own, once), and dclint (the Compose Specification schema; from node_modules, PATH or npx);
#   at least one must be there;
# - the Dockerfile with dockerfile-utils (node_modules, PATH or npx);
# - the cryptoutil configs every product's compose services load (KMS, JOSE, CA), with throwaway
#   secrets from make-secrets.sh (check-config.mjs; needs `pnpm run build`);
# - what the suite's include makes of the files: no resource two files define differently, no
#   host port published twice (check-suite.mjs);
# - the collector config, its compose file, the dashboards (one per product) and provisioning
#   (check-telemetry.mjs);
# - the shell scripts with shellcheck when present;
# - with --exercise, every product's compose services run on loopback (exercise.mjs).
# VALIDATE_OFFLINE=1 keeps npx from fetching a validator.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
# Every product's file, the shared telemetry file they include, and the suite's file.
products=(kms jose ca)
compose_files=()
for product in "${products[@]}"; do compose_files+=("deployments/$product/compose.yml"); done
compose_files+=(deployments/otel/compose.yml deployments/compose/compose.yml)
exercise=false
[ "${1:-}" = --exercise ] && exercise=true
failed=0
ran=0
fail() { printf 'FAIL  %s\n' "$*"; failed=1; }
ok() { printf 'ok    %s\n' "$*"; }
skip() { printf 'skip  %s\n' "$*"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# tool NAME NPM-SPEC: prints the command that runs NAME (local bin, PATH, npx), or nothing.
tool() {
  if [ -x "node_modules/.bin/$1" ]; then echo "node_modules/.bin/$1"
  elif command -v "$1" >/dev/null 2>&1; then command -v "$1"
  elif [ "${VALIDATE_OFFLINE:-}" != 1 ] && command -v npx >/dev/null 2>&1; then
    echo "npx --yes $2"
  fi
}

# Throwaway secrets, so that every secret file the compose files name exists; the compose
# files find them through <PRODUCT>_SECRETS_DIR and OTEL_SECRETS_DIR.
cli="$root/cryptoutil"
[ -f packages/cli/dist/main.js ] && cli="node $root/packages/cli/dist/main.js"
for name in "${products[@]}" otel; do
  export "$(tr '[:lower:]' '[:upper:]' <<<"$name")_SECRETS_DIR=$work/secrets/$name"
done
if CRYPTOUTIL_CLI="$cli" deployments/scripts/make-secrets.sh --dir "$work/secrets" \
  "${products[@]}" >/dev/null 2>"$work/make-secrets.log"; then
  ok "make-secrets.sh wrote a full secret set (${products[*]}, otel)"
else
  fail "make-secrets.sh: $(tail -n 3 "$work/make-secrets.log")"
fi

if docker compose version >/dev/null 2>&1; then
  for f in "${compose_files[@]}"; do
    ran=1
    if out=$(docker compose -f "$f" --profile telemetry config -q 2>&1); then
      ok "docker compose config: $f"
    else fail "docker compose config: $f: $out"; fi
  done
else skip "docker compose (v2): not installed"; fi

v1=$(command -v docker-compose || true)
if [ -n "$v1" ] && "$v1" version --short 2>/dev/null | grep -q '^1\.'; then
  # The Python that runs docker-compose has PyYAML: it writes v1-readable copies.
  python=$(head -n 1 "$v1" | sed -n 's/^#!//p')
  "${python:-python3}" - "$work/v1" "${compose_files[@]}" >"$work/v1.list" <<'EOF'
import os, sys, yaml
out, files = sys.argv[1], sys.argv[2:]
os.makedirs(out, exist_ok=True)
seen = set()
def emit(path, origin):
    # A file reached again (listed and included, or included twice) is validated once.
    path = os.path.abspath(path)
    if path in seen:
        return
    seen.add(path)
    doc = yaml.safe_load(open(path)) or {}
    doc.pop('name', None)
    here = os.path.dirname(os.path.abspath(path))
    for entry in doc.pop('include', None) or []:
        included = entry if isinstance(entry, str) else entry['path']
        emit(os.path.normpath(os.path.join(here, included)), f'{included} (included by {origin})')
    if doc.get('services'):
        copy = os.path.join(out, f'{len(os.listdir(out))}.yml')
        yaml.safe_dump(doc, open(copy, 'w'), sort_keys=False)
        print(f'{copy}\t{here}\t{origin}')
for f in files:
    emit(f, f)
EOF
  while IFS=$'\t' read -r copy dir origin; do
    ran=1
    if out=$("$v1" --project-directory "$dir" --profile telemetry -f "$copy" config -q 2>&1); then
      ok "docker-compose v1 config: $origin (without name:/include:, which v1 predates)"
    else fail "docker-compose v1 config: $origin: $out"; fi
  done <"$work/v1.list"
else skip "docker-compose (v1): not installed"; fi

dclint=$(tool dclint dclint@3.1.0)
if [ -n "$dclint" ]; then
  ran=1
  if out=$($dclint -c deployments/scripts/dclint.yaml "${compose_files[@]}" 2>&1); then
    ok "dclint (Compose Specification schema): ${compose_files[*]}"
  else fail "dclint: $out"; fi
else skip "dclint: not installed and npx unavailable or VALIDATE_OFFLINE=1"; fi
[ "$ran" = 1 ] || fail "no compose validator: install the docker compose plugin, docker-compose or dclint"

dfutils=$(tool dockerfile-utils dockerfile-utils@0.16.3)
if [ -z "$dfutils" ]; then skip "dockerfile-utils: not installed"
elif out=$($dfutils lint Dockerfile 2>&1); then ok "dockerfile-utils lint: Dockerfile"
else fail "dockerfile-utils lint: Dockerfile: $out"; fi

if [ -f packages/cli/dist/main.js ]; then
  if node deployments/scripts/check-config.mjs "${compose_files[@]}"; then :; else fail "check-config.mjs"; fi
else skip "check-config.mjs: build first (pnpm run build)"; fi
node deployments/scripts/check-suite.mjs "${compose_files[@]}" || fail "check-suite.mjs"
node deployments/scripts/check-telemetry.mjs || fail "check-telemetry.mjs"

if command -v shellcheck >/dev/null 2>&1; then
  if out=$(shellcheck deployments/scripts/*.sh deployments/docker/*.sh 2>&1); then
    ok "shellcheck: deployments/scripts/*.sh deployments/docker/*.sh"
  else fail "shellcheck: $out"; fi
else skip "shellcheck: not installed"; fi

if [ "$exercise" = true ]; then
  node deployments/scripts/exercise.mjs "${products[@]}" || fail "exercise.mjs ${products[*]}"
fi

if [ "$failed" = 0 ]; then echo "validate: every check passed"; else echo "validate: FAILED"; fi
exit "$failed"
