#!/usr/bin/env bash
# bootstrap.sh — install the Debian packages culvert needs, only those that
# are missing. Idempotent and silent when everything is already there.
# Usage: scripts/bootstrap.sh [build|test|fuzz|bench|services]...
set -euo pipefail

need=(cmake make gcc libc6-dev pkg-config clang-format zlib1g-dev libzstd-dev liblz4-dev libpcre2-dev nettle-dev
      libunistring-dev libsqlite3-dev libpq-dev libmariadb-dev)
for what in "$@"; do
  case "$what" in
    build) ;;
    test) need+=(valgrind jq sqlite3) ;;
    fuzz) need+=(clang libclang-rt-14-dev) ;;
    bench) need+=(time postgresql postgresql-client mariadb-server mariadb-client pgloader) ;;
    services) need+=(postgresql postgresql-client mariadb-server mariadb-client) ;;
    *) echo "bootstrap: unknown set '$what'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null || true
# server packages must not start system services: policy-rc.d says no
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  guard=1
fi
status=0
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
[ -n "$guard" ] && $sudo rm -f /usr/sbin/policy-rc.d
exit $status
