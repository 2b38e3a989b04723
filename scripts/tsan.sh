#!/usr/bin/env bash
# tsan.sh — the ThreadSanitizer run: the engine's unit tests (queues, whole
# jobs with many readers and writers, failures, cancellation), the generic
# plugin check (every plugin, also cancelled mid-stream) and the e2e jobs
# (the database ones too when scripts/services.sh's env is loaded), against
# a -DCV_TSAN=ON build. Any ThreadSanitizer report fails the run.
# Suppressions, for third-party libraries only, are in tests/tsan.supp.
# Usage: scripts/tsan.sh BUILD_DIR   (make tsan builds it)
set -uo pipefail
build=${1:?usage: tsan.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
grep -q '^CV_TSAN:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null ||
  { echo "tsan: $build is not a -DCV_TSAN=ON build"; exit 1; }
# exitcode 66: a report fails the process even when the job itself exits 0
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0 exitcode=66 second_deadlock_stack=1} suppressions=$root/tests/tsan.supp"
status=0
echo "-- engine unit tests and the generic plugin check"
(cd "$build" && ctest --output-on-failure --timeout 600 -R '^(engine\.|plugins\.generic$)') || status=1
echo "-- e2e jobs"
"$root/tests/e2e/run.sh" "$build/culvert" || status=1
[ $status -eq 0 ] && echo "tsan: no data races" || echo "tsan: FAILURES (see above)"
exit $status
