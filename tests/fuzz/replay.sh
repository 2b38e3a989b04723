#!/usr/bin/env bash
# replay.sh — run every seed corpus through its fuzz target once, without
# libFuzzer (the fuzzreplay_<target> binaries built in every build). Fails
# on any crash or sanitizer report. scripts/test.sh calls it.
# The options target also replays the config corpus (job files are its
# natural input).
# Usage: tests/fuzz/replay.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: replay.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for target in config type value options csv jsonl sql jsonpath datefmt regex jdbc_url secret; do
  bin=$build/tests/fuzz/fuzzreplay_$target
  if [ ! -x "$bin" ]; then
    echo "replay: $bin is missing (build the tree first)" >&2
    status=1
    continue
  fi
  dirs=("$here/corpus/$target")
  [ "$target" = options ] && dirs+=("$here/corpus/config")
  if out=$("$bin" "${dirs[@]}" 2>&1); then
    echo "ok   $target: ${out##*: }"
  else
    echo "FAIL $target"
    echo "$out" | tail -40
    status=1
  fi
done
exit $status
