#!/usr/bin/env bash
# selftest.sh — proves that run.sh can fail: a small corpus of jobs, each
# built to land in one class (a pass with checks, a pass on exit code only,
# a skip, or a failure for one of the reasons run.sh names), is run through
# run.sh with lists of its own, and the outcome of every job is compared
# with what it must be. Usage: selftest.sh CULVERT
set -uo pipefail
bin=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir -p "$t/jobs/st"
fake='FakeSource { row.num = 3, schema = { fields { id = int, name = string } } }'
assert='Assert { rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 3 }, { rule_type = MIN_ROW, rule_value = 3 } ] } }'
job() { # job NAME MODE SOURCE SINK
  printf 'env { job.mode = %s }\nsource { %s }\nsink { %s }\n' "$2" "$3" "$4" > "$t/jobs/st/$1.conf"
}
job assert_ok BATCH "$fake" "$assert"
job console_unchecked BATCH "$fake" 'Console {}'
job console_checked BATCH "$fake" 'Console {}'
job console_miscounted BATCH "$fake" 'Console {}'
job file_checked BATCH "$fake" 'LocalFile { path = "/tmp/st/out", file_format_type = json }'
job file_miscounted BATCH "$fake" 'LocalFile { path = "/tmp/st/out", file_format_type = json }'
job assert_typo BATCH "$fake" 'Assert { rules { rule_ruls = [ { rule_type = MAX_ROW, rule_value = 1 } ] } }'
job option_typo BATCH 'FakeSource { row.num = 3, split.row = 1, schema = { fields { id = int } } }' "$assert"
job assert_broken BATCH "$fake" 'Assert { rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 2 } ] } }'
job real_plugin BATCH 'Kafka { topic = t }' 'Console {}'
job no_such_plugin BATCH 'NoSuchSource { }' 'Console {}'
# the mode is known only once the variable is substituted
job streaming_by_variable '"${mode:STREAMING}"' "$fake" 'Console {}'
job batch_by_variable '"${mode:BATCH}"' "$fake" "$assert"
# a BATCH job that does not end in time is cancelled: never a pass
job batch_endless BATCH 'FakeSource { row.num = 1000000000, split.read-interval = 1000, schema = { fields { id = int } } }' 'Console {}'
job expected_error_ok BATCH 'FakeSource { row.num = 3, schema = { fields { id = int } } }' 'Assert { rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 1 } ] } }'
job expected_error_wrong BATCH 'FakeSource { row.num = 3, schema = { fields { id = int } } }' 'Assert { rules { row_rules = [ { rule_type = MAX_ROW, rule_value = 1 } ] } }'
job expected_error_passes BATCH "$fake" "$assert"
job unclassified_error BATCH "$fake" "$assert"
job known_broken_error BATCH "$fake" 'Console {}'

cat > "$t/expect.txt" <<'EOF'
fail st/expected_error_ok.conf MAX_ROW # the Assert rule fails
fail st/expected_error_wrong.conf NoEnoughResource # fails, but for another reason
fail st/expected_error_passes.conf anything # does not fail at all
fail st/known_broken_error.conf tag_filter # does not fail, known
known st/known_broken_error.conf # listed: not a regression
EOF
cat > "$t/checks.txt" <<'EOF'
st/console_checked.conf console 3
st/console_miscounted.conf console 4
st/file_checked.conf files /tmp/st/out 3 files=1 format=json
st/file_checked.conf written 3
st/file_miscounted.conf files /tmp/st/out 3 files=2
EOF

out=$(CV_CONFORMANCE_DIR=$t CV_CONFORMANCE_EXPECT=$t/expect.txt CV_CONFORMANCE_CHECKS=$t/checks.txt \
      CV_CONFORMANCE_TIMEOUT=5 "${CV_CONFORMANCE_RUNNER:-$here/run.sh}" "$bin" 2>&1)
rc=$?
pass=0 fail=0
expect() { # expect WHAT PATTERN: run.sh's report must contain a line matching PATTERN
  if grep -qE -- "$2" <<< "$out"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1 (no line /$2/)"; fi
}
expect "regressions fail the suite" "^conformance: 7 passed \(6 with checks, 1 on exit code only; 1 need --lenient\), 10 failed \(1 known, 9 new\), 2 skipped$"
[ $rc -ne 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: run.sh exited 0 with regressions"; }
expect "exit code only is listed" "^  st/console_unchecked.conf \(Console\)$"
expect "a miscounted Console fails" "^FAIL st/console_miscounted.conf: .*Console printed 3 rows, expected 4"
expect "miscounted files fail" "^FAIL st/file_miscounted.conf: .*1 files under /tmp/st/out, expected 2"
expect "a typo that disables Assert rules fails" "^FAIL st/assert_typo.conf: passes only because --lenient dropped .*rule_ruls"
expect "a broken Assert fails" "^FAIL st/assert_broken.conf: exit 1"
expect "a real SeaTunnel plugin is a skip" "1 × source plugin Kafka not implemented"
expect "an invented plugin fails" "^FAIL st/no_such_plugin.conf: unknown source plugin NoSuchSource"
expect "STREAMING (after substitution) is a skip" "1 × STREAMING not supported yet"
expect "a cancelled BATCH job fails" "^FAIL st/batch_endless.conf: a BATCH job that did not end by itself"
expect "a failure for another reason fails" "^FAIL st/expected_error_wrong.conf: fails \(exit 1\), but not for the reason"
expect "an expected failure that passes fails" "^FAIL st/expected_error_passes.conf: its IT expects it to fail"
expect "unclassified failure names fail" "^FAIL st/unclassified_error.conf: named like a job SeaTunnel expects to fail"
if grep -qE "^FAIL st/(assert_ok|console_checked|file_checked|option_typo|batch_by_variable|expected_error_ok|known_broken_error)" <<< "$out"; then
  fail=$((fail + 1)); echo "FAIL: a job that should pass (or is known) was reported"; grep "^FAIL" <<< "$out"
else
  pass=$((pass + 1))
fi
[ $fail -eq 0 ] || { echo "run.sh said:"; sed 's/^/  | /' <<< "$out"; }
echo "conformance selftest: $pass passed, $fail failed"
[ $fail -eq 0 ]
