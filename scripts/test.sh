#!/usr/bin/env bash
# test.sh — everything `make test` runs, against a sanitizer build.
# Usage: scripts/test.sh BUILD_DIR
set -uo pipefail
build=$1
bin=$build/culvert
status=0
step() { echo; echo "== $1"; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

step "database services"
# throwaway PostgreSQL and MariaDB for the Jdbc tests; always stopped
svc=$(mktemp -d /tmp/culvert-services.XXXXXX)
trap 'scripts/services.sh stop "$svc"; rm -rf "$svc"' EXIT
if scripts/services.sh start "$svc" >/dev/null; then
  # shellcheck disable=SC1091
  . "$svc/env"
  echo "PostgreSQL on port $CULVERT_PG_PORT, MariaDB on port $CULVERT_MYSQL_PORT"
else
  echo "could not start the database services: their tests will fail"
  status=1
fi

step "source checks"
scripts/checksrc || status=1
scripts/gen-docs.sh "$bin" --check || status=1

step "unit tests"
(cd "$build" && ctest --output-on-failure --timeout 300 | tee "$svc/ctest.log") || status=1
# with the services up nothing may be skipped
if grep -q "Not Run\|Skipped" "$svc/ctest.log"; then echo "unit tests were skipped"; status=1; fi

step "end-to-end jobs"
tests/e2e/run.sh "$bin" || status=1

# the ThreadSanitizer build (make test builds it; TSAN_BUILD names it)
tsan=${TSAN_BUILD:-build-tsan}
step "ThreadSanitizer: engine tests, generic plugin check, end-to-end jobs"
if [ -x "$tsan/culvert" ]; then
  scripts/tsan.sh "$tsan" || status=1
else
  echo "no ThreadSanitizer build in $tsan (make tsan-build): not run"
  status=1
fi

step "databases (PostgreSQL, MariaDB)"
tests/db/run.sh "$bin" || status=1

step "file tests"
# the gigabyte and crash tests want the optimised build (make test builds it)
opt=${OPT_BUILD:-build}/culvert
[ -x "$opt" ] || opt=$bin
tests/files/run.sh "$bin" "$opt" || status=1

step "command line"
tests/cli/run.sh "$bin" || status=1
tests/cli/trust.sh "$bin" || status=1

if [ -x tests/fuzz/replay.sh ]; then
  step "fuzz corpus replay"
  tests/fuzz/replay.sh "$build" || status=1
fi

step "SeaTunnel conformance corpus"
tests/conformance/selftest.sh "$bin" || status=1
tests/conformance/run.sh "$bin" || status=1

echo
[ $status -eq 0 ] && echo "make test: all suites passed" || echo "make test: FAILURES (see above)"
exit $status
