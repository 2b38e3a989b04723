#!/usr/bin/env bash
# fuzz.sh — run every libFuzzer target for SECONDS each (default 30).
# Each target works in a scratch corpus, tests/fuzz/corpus-<target>/ (git
# ignores it), seeded from tests/fuzz/corpus/<target>/ and kept between runs
# so that fuzzing picks up where it stopped. Crashes, leaks, timeouts (an
# input taking more than FUZZ_TIMEOUT seconds, default 1) and sanitizer
# reports fail the run; their inputs land in tests/fuzz/corpus-artifacts/.
# Add each one to tests/fuzz/corpus/<target>/ once fixed, as a regression.
# Usage: scripts/fuzz.sh BUILD_DIR [SECONDS] [TARGET…]
set -uo pipefail
build=${1:?usage: fuzz.sh BUILD_DIR [SECONDS] [TARGET...]}
secs=${2:-30}
shift $(( $# >= 2 ? 2 : 1 ))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(config type value options csv jsonl sql jsonpath datefmt regex jdbc_url secret)
root=$(cd "$(dirname "$0")/.." && pwd)
fz=$root/tests/fuzz
art=$fz/corpus-artifacts
mkdir -p "$art"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/fuzz_$t
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin is missing (configure with CC=clang -DCV_FUZZ=ON)" >&2
    status=1
    continue
  fi
  work=$fz/corpus-$t
  mkdir -p "$work"
  cp -n "$fz/corpus/$t/"* "$work/" 2>/dev/null
  [ "$t" = options ] && cp -n "$fz/corpus/config/"* "$work/" 2>/dev/null
  log=$art/$t.log
  echo "== fuzz_$t for ${secs}s ($(ls "$work" | wc -l) inputs in $work)"
  "$bin" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-1}" -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$art/$t-" \
    ${FUZZ_FLAGS:-} "$work" >"$log" 2>&1
  rc=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | sed 's/^/   /'
  if [ $rc -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
    echo "FAIL fuzz_$t (exit $rc); log: $log"
    grep -E 'ERROR:|runtime error:|invariant failed|Test unit written' "$log" | head -10
    status=1
  else
    echo "ok   fuzz_$t"
  fi
done
exit $status
