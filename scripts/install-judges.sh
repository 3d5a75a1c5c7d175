#!/usr/bin/env bash
# Installs the Debian packages that tests use as independent judges of our output (issue 3:
# the KMS's JWE and JWS must open with another JOSE implementation). Each judge is a probe
# command and the packages that satisfy it; a package is installed only when its probe fails,
# so a second run does nothing. Quiet on success; on failure it says which judge and exits 1.
# Tests never install software themselves: .ci/run calls this before ./test.
set -euo pipefail

# "probe command|packages": the probe runs Debian's python (/usr/bin/python3), because the
# python3 first on PATH may be another interpreter that cannot see Debian's dist-packages.
JUDGES=(
  "/usr/bin/python3 -c 'import jwcrypto'|python3-jwcrypto"
)

fail() {
  printf '[install-judges] %s\n' "$*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    fail "need root (or sudo) to run: $*"
  fi
}

missing=()
for judge in "${JUDGES[@]}"; do
  probe=${judge%%|*}
  packages=${judge#*|}
  if ! bash -c "$probe" >/dev/null 2>&1; then
    read -r -a names <<<"$packages"
    missing+=("${names[@]}")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet, so refresh them before installing.
if ! as_root apt-get update -qq >"$log" 2>&1; then
  cat "$log" >&2
  fail "apt-get update failed"
fi
if ! as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  fail "apt-get install ${missing[*]} failed"
fi

for judge in "${JUDGES[@]}"; do
  probe=${judge%%|*}
  if ! bash -c "$probe" >"$log" 2>&1; then
    cat "$log" >&2
    fail "still failing after install: $probe"
  fi
done
