#!/usr/bin/env bash
# Writes the Docker secrets of deployments/kms/compose.yml (ARCHITECTURE §8) into
# deployments/kms/secrets/ (gitignored): 3 unseal secrets (barrier.mode secrets, any 2 unseal),
# the API key pepper, the PostgreSQL password and database URL, the KMS TLS set and the
# collector's TLS set (`cryptoutil tls init`), and one API key whose config entry (hash only)
# goes to api-keys.yml; the key itself is printed once and stored nowhere.
#
# Existing files are kept: a new unseal secret would make every stored key unreadable. Only
# --renew-tls replaces the certificate sets (server certificates last 90 days by default).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${KMS_SECRETS_DIR:-$root/deployments/kms/secrets}
renew_tls=false
# The CLI: the checkout's launcher by default (it bootstraps and builds); any command works,
# e.g. CRYPTOUTIL_CLI="docker run --rm -v $PWD:/w -w /w cryptoutil:dev".
read -r -a cli <<<"${CRYPTOUTIL_CLI:-$root/cryptoutil}"
read -r -a extra_names <<<"${KMS_TLS_NAMES:-}"
# The compose service names and the kms-pg alias; clients on the host use localhost.
tls_names=(kms-sqlite kms-pg-1 kms-pg-2 kms-pg ${extra_names[@]+"${extra_names[@]}"})
tls_days=${KMS_TLS_VALIDITY_DAYS:-90}
api_key_id=${KMS_API_KEY_ID:-compose}
api_key_tenant=${KMS_API_KEY_TENANT:-default}
# Every KMS scope but kms:admin (purge); KMS_API_KEY_SCOPES replaces the list.
read -r -a api_key_scopes <<<"${KMS_API_KEY_SCOPES:-kms:read kms:write kms:encrypt kms:decrypt kms:sign kms:verify kms:generate}"

usage() {
  cat <<EOF
usage: $(basename "$0") [--dir DIR] [--renew-tls]
  --dir DIR    where to write (default: deployments/kms/secrets, or \$KMS_SECRETS_DIR)
  --renew-tls  replace both certificate sets; every other secret is kept
environment: CRYPTOUTIL_CLI, KMS_TLS_NAMES (extra SANs), KMS_TLS_VALIDITY_DAYS,
  KMS_API_KEY_ID, KMS_API_KEY_TENANT, KMS_API_KEY_SCOPES (space-separated)
EOF
}
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --renew-tls) renew_tls=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

log() { printf '[make-secrets] %s\n' "$*" >&2; }
umask 077
mkdir -p "$dir"
# The folder keeps the secrets from other host users. The files the containers mount end up
# world-readable (mode 0444) because compose bind-mounts file secrets with the host file's
# owner and mode (uid/gid/mode apply to Swarm only), and the services run as their own users
# (cryptoutil 10001, postgres 999, otel 10001).
chmod 0700 "$dir"

# new_file NAME COMMAND…: writes COMMAND's output to NAME unless NAME exists.
new_file() {
  local name=$1
  shift
  if [ -e "$dir/$name" ]; then
    log "kept $name"
    return
  fi
  "$@" >"$dir/$name.tmp"
  mv "$dir/$name.tmp" "$dir/$name"
  log "wrote $name"
}

# text_secret COMMAND…: COMMAND's output without its trailing newline.
text_secret() { printf %s "$("$@")"; }

# Unseal secrets: 32 random bytes each (barrier.files takes 32-64 bytes).
for i in 1 2 3; do new_file "unseal-$i" openssl rand 32; done
# 48 random bytes as 64 base64 characters (auth.pepper needs at least 32 characters).
new_file api-key-pepper text_secret openssl rand -base64 48
# Hex keeps the password safe inside a URL without percent-encoding.
new_file postgres-password text_secret openssl rand -hex 24
if [ -e "$dir/database-url" ]; then
  log "kept database-url"
else
  printf 'postgres://kms:%s@kms-postgres:5432/kms' "$(cat "$dir/postgres-password")" \
    >"$dir/database-url"
  log "wrote database-url"
fi

# tls_set SUBDIR NAME…: a root → intermediate → server set whose server certificate also
# names NAME… (localhost, 127.0.0.1 and ::1 are always in it).
tls_set() {
  local sub=$1
  shift
  if [ -e "$dir/$sub/ca.pem" ] && [ "$renew_tls" = false ]; then
    log "kept $sub/"
    return
  fi
  local args=(tls init --dir "$dir/$sub" --validity-days "$tls_days")
  for name in "$@"; do args+=(--name "$name"); done
  [ "$renew_tls" = true ] && args+=(--force)
  "${cli[@]}" "${args[@]}" >/dev/null
  log "wrote $sub/ (server certificate valid $tls_days days)"
}
tls_set tls "${tls_names[@]}"
tls_set otel-tls otel-collector

if [ -e "$dir/api-keys.yml" ]; then
  log "kept api-keys.yml"
else
  args=(apikey create --pepper-file "$dir/api-key-pepper" --id "$api_key_id")
  args+=(--tenant "$api_key_tenant")
  for scope in "${api_key_scopes[@]}"; do args+=(--scope "$scope"); done
  out=$("${cli[@]}" "${args[@]}")
  # Line 1 carries the key, lines 3… the YAML entry with its HKDF-SHA-256 hash.
  key=$(sed -n '1s/^API key[^:]*: //p' <<<"$out")
  {
    echo '# auth.apiKeys layered over the KMS config (-c /run/secrets/kms_api_keys); hashes only.'
    sed -n '3,$p' <<<"$out"
  } >"$dir/api-keys.yml"
  log "wrote api-keys.yml (key id $api_key_id, tenant $api_key_tenant, scopes ${api_key_scopes[*]})"
  printf 'API key (shown once; store it in your secret manager): %s\n' "$key"
fi

# What the containers mount; CA keys and the rest stay private to this folder.
for f in unseal-1 unseal-2 unseal-3 api-key-pepper api-keys.yml postgres-password \
  database-url tls/server.pem tls/server-key.pem tls/ca.pem \
  otel-tls/server.pem otel-tls/server-key.pem otel-tls/ca.pem; do
  chmod 0444 "$dir/$f"
done
log "secrets are in $dir"
