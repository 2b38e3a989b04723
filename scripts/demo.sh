#!/usr/bin/env bash
# demo.sh — run the example job and show what it printed.
set -euo pipefail
bin=${1:-build/culvert}
job=examples/fake_to_console.conf
echo "\$ $bin plan $job"
"$bin" plan "$job"
echo
echo "\$ $bin run -c $job"
"$bin" run -c "$job"
