#!/usr/bin/env bash
# Writes the Docker secrets of the compose files (ARCHITECTURE §8), gitignored, never committed:
# - per product (deployments/<product>/secrets/, for kms, jose and ca): 3 unseal secrets
#   (barrier.mode secrets, any 2 unseal), the API key pepper, the PostgreSQL password and
#   database URL, the product's TLS set (`cryptoutil tls init`) and one API key with that
#   product's scopes, whose config entry (hash only) goes to api-keys.yml; the key itself is
#   printed once and stored nowhere;
# - for the telemetry profile (deployments/otel/secrets/): the collector's TLS set, whose CA
#   every product trusts.
#
# Existing files are kept: a new unseal secret would make every stored key unreadable. Only
# --renew-tls replaces the certificate sets (server certificates last 90 days by default).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
all_products=(kms jose ca)
products=()
base=
renew_tls=false
# The CLI: the checkout's launcher by default (it bootstraps and builds); any command works,
# e.g. CRYPTOUTIL_CLI="docker run --rm -v $PWD:/w -w /w cryptoutil:dev".
read -r -a cli <<<"${CRYPTOUTIL_CLI:-$root/cryptoutil}"

usage() {
  cat <<EOF
usage: $(basename "$0") [--dir DIR] [--renew-tls] [PRODUCT...]
  PRODUCT      kms, jose, ca (default: all of them); the collector's set is always made
  --dir DIR    write DIR/<product> and DIR/otel instead of deployments/<product>/secrets and
               deployments/otel/secrets (which \$KMS_SECRETS_DIR, \$JOSE_SECRETS_DIR,
               \$CA_SECRETS_DIR and \$OTEL_SECRETS_DIR otherwise replace, as in the compose
               files)
  --renew-tls  replace the certificate sets; every other secret is kept
environment: CRYPTOUTIL_CLI; per product P (KMS, JOSE, CA): P_TLS_NAMES (extra SANs),
  P_TLS_VALIDITY_DAYS, P_API_KEY_ID, P_API_KEY_TENANT, P_API_KEY_SCOPES (space-separated);
  OTEL_TLS_VALIDITY_DAYS
EOF
}
while [ $# -gt 0 ]; do
  case $1 in
    --dir) base=${2:?--dir needs a value}; shift 2 ;;
    --renew-tls) renew_tls=true; shift ;;
    -h | --help) usage; exit 0 ;;
    kms | jose | ca) products+=("$1"); shift ;;
    *) usage >&2; exit 2 ;;
  esac
done
[ ${#products[@]} -gt 0 ] || products=("${all_products[@]}")

log() { printf '[make-secrets] %s\n' "$*" >&2; }
umask 077

# setting NAME DEFAULT: the value of the environment variable NAME, or DEFAULT.
setting() { printf '%s' "${!1:-$2}"; }

# secrets_dir NAME: where NAME's secrets go (--dir, then NAME_SECRETS_DIR, then the default).
secrets_dir() {
  local upper
  upper=$(tr '[:lower:]' '[:upper:]' <<<"$1")
  if [ -n "$base" ]; then echo "$base/$1"
  else setting "${upper}_SECRETS_DIR" "$root/deployments/$1/secrets"; fi
}

# Every scope of the product but its admin scope (purge, delete, audit; for the CA also the
# approval of pending enrollments): P_API_KEY_SCOPES replaces the list.
default_scopes() {
  case $1 in
    kms) echo 'kms:read kms:write kms:encrypt kms:decrypt kms:sign kms:verify kms:generate' ;;
    jose) echo 'jose:read jose:write jose:sign jose:verify jose:encrypt jose:decrypt' ;;
    ca) echo 'ca:read ca:enroll ca:revoke' ;;
  esac
}

# prepare_dir DIR: the folder keeps the secrets from other host users. The files the containers
# mount end up world-readable (mode 0444) because compose bind-mounts file secrets with the
# host file's owner and mode (uid/gid/mode apply to Swarm only), and the services run as their
# own users (cryptoutil 10001, postgres 999, otel 10001).
prepare_dir() {
  mkdir -p "$1"
  chmod 0700 "$1"
}

# new_file DIR NAME COMMAND…: writes COMMAND's output to DIR/NAME unless it exists.
new_file() {
  local dir=$1 name=$2
  shift 2
  if [ -e "$dir/$name" ]; then
    log "kept $dir/$name"
    return
  fi
  "$@" >"$dir/$name.tmp"
  mv "$dir/$name.tmp" "$dir/$name"
  log "wrote $dir/$name"
}

# text_secret COMMAND…: COMMAND's output without its trailing newline.
text_secret() { printf %s "$("$@")"; }

# tls_set DIR DAYS NAME…: a root → intermediate → server set in DIR/tls whose server
# certificate also names NAME… (localhost, 127.0.0.1 and ::1 are always in it).
tls_set() {
  local dir=$1/tls days=$2
  shift 2
  if [ -e "$dir/ca.pem" ] && [ "$renew_tls" = false ]; then
    log "kept $dir/"
    return
  fi
  local args=(tls init --dir "$dir" --validity-days "$days")
  for name in "$@"; do args+=(--name "$name"); done
  [ "$renew_tls" = true ] && args+=(--force)
  "${cli[@]}" "${args[@]}" >/dev/null
  log "wrote $dir/ (server certificate valid $days days)"
}

# api_key DIR PRODUCT PREFIX: one API key with PRODUCT's scopes; api-keys.yml holds its hash.
api_key() {
  local dir=$1 product=$2 prefix=$3
  if [ -e "$dir/api-keys.yml" ]; then
    log "kept $dir/api-keys.yml"
    return
  fi
  local id tenant scopes out key
  id=$(setting "${prefix}_API_KEY_ID" compose)
  tenant=$(setting "${prefix}_API_KEY_TENANT" default)
  read -r -a scopes <<<"$(setting "${prefix}_API_KEY_SCOPES" "$(default_scopes "$product")")"
  local args=(apikey create --pepper-file "$dir/api-key-pepper" --id "$id" --tenant "$tenant")
  for scope in "${scopes[@]}"; do args+=(--scope "$scope"); done
  out=$("${cli[@]}" "${args[@]}")
  # Line 1 carries the key, lines 3… the YAML entry with its HKDF-SHA-256 hash.
  key=$(sed -n '1s/^API key[^:]*: //p' <<<"$out")
  {
    echo "# auth.apiKeys layered over the $product config (-c /run/secrets/${product}_api_keys);" \
      "hashes only."
    sed -n '3,$p' <<<"$out"
  } >"$dir/api-keys.yml"
  log "wrote $dir/api-keys.yml (key id $id, tenant $tenant, scopes ${scopes[*]})"
  printf 'API key for %s (shown once; store it in your secret manager): %s\n' "$product" "$key"
}

# product_secrets PRODUCT: everything deployments/PRODUCT/compose.yml mounts but the
# collector's CA.
product_secrets() {
  local product=$1 prefix dir
  prefix=$(tr '[:lower:]' '[:upper:]' <<<"$product")
  dir=$(secrets_dir "$product")
  prepare_dir "$dir"
  # Unseal secrets: 32 random bytes each (barrier.files takes 32-64 bytes).
  for i in 1 2 3; do new_file "$dir" "unseal-$i" openssl rand 32; done
  # 48 random bytes as 64 base64 characters (auth.pepper needs at least 32 characters).
  new_file "$dir" api-key-pepper text_secret openssl rand -base64 48
  # Hex keeps the password safe inside a URL without percent-encoding.
  new_file "$dir" postgres-password text_secret openssl rand -hex 24
  if [ -e "$dir/database-url" ]; then
    log "kept $dir/database-url"
  else
    printf 'postgres://%s:%s@%s-postgres:5432/%s' "$product" "$(cat "$dir/postgres-password")" \
      "$product" "$product" >"$dir/database-url"
    log "wrote $dir/database-url"
  fi
  local extra_names
  read -r -a extra_names <<<"$(setting "${prefix}_TLS_NAMES" '')"
  # The compose service names and the <product>-pg alias; clients on the host use localhost.
  tls_set "$dir" "$(setting "${prefix}_TLS_VALIDITY_DAYS" 90)" \
    "$product-sqlite" "$product-pg-1" "$product-pg-2" "$product-pg" \
    ${extra_names[@]+"${extra_names[@]}"}
  api_key "$dir" "$product" "$prefix"
  # What the containers mount; CA keys and the rest stay private to this folder.
  for f in unseal-1 unseal-2 unseal-3 api-key-pepper api-keys.yml postgres-password \
    database-url tls/server.pem tls/server-key.pem tls/ca.pem; do
    chmod 0444 "$dir/$f"
  done
  log "$product secrets are in $dir"
}

for product in "${products[@]}"; do product_secrets "$product"; done

otel=$(secrets_dir otel)
prepare_dir "$otel"
tls_set "$otel" "$(setting OTEL_TLS_VALIDITY_DAYS 90)" otel-collector
for f in tls/server.pem tls/server-key.pem tls/ca.pem; do chmod 0444 "$otel/$f"; done
log "collector secrets are in $otel"
