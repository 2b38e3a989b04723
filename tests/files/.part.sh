#!/usr/bin/env bash
# run.sh — LocalFile tests that look at files, not rows: byte-for-byte
# round trips (csv → json → csv, text, compressed), the exact bytes of csv
# quoting and of the dead-letter file, file rolling and staging, a ~1 GB
# file read with bounded memory, and a job killed with -9 mid-write (no
# file may appear in the target; a rerun leaves exactly one copy).
#
# Usage: run.sh CULVERT [CULVERT_OPTIMISED]
# The big-file and crash tests use the optimised build (the second
# argument, else build/culvert next to this tree, else CULVERT): the
# sanitizer build is far too slow for a gigabyte.
set -uo pipefail
bin=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
opt=${2:-}
[ -z "$opt" ] && [ -x "$top/build/culvert" ] && opt=$top/build/culvert
[ -z "$opt" ] && opt=$bin
opt=$(readlink -f "$opt")
tmp=$(mktemp -d); [ -n "${KEEP_TMP:-}" ] && echo "files: keeping $tmp" || trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
pass=0; fail=0; cur=""

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $cur: $1"; [ -f "$tmp/err" ] && grep -v " INFO  " "$tmp/err" | tail -8 | sed 's/^/    | /'; }
check() { if eval "$1"; then ok; else bad "${2:-$1}"; fi; }

# job BIN NAME : run the job file $tmp/NAME.conf; 0 when it exits 0
# without a sanitizer report (stdout in $tmp/out, stderr in $tmp/err)
job() {
  local b=$1 name=$2
  (cd "$tmp" && "$b" run --no-progress -c "$tmp/$name.conf" >"$tmp/out" 2>"$tmp/err")
  local code=$?
  if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$tmp/err"; then
    bad "$name: sanitizer report"
    return 1
  fi
  [ $code -eq 0 ] || { bad "$name: exit $code"; return 1; }
}

# lines DIR : every line of every file under DIR (decompressed by culvert
# beforehand where needed), sorted
lines() { find "$1" -type f -print0 | sort -z | xargs -0 cat | LC_ALL=C sort; }

# convert NAME FROM_DIR FROM_FORMAT TO_DIR TO_FORMAT [extra sink options]
convert() {
  cat >"$tmp/$1.conf" <<EOF
env { parallelism = 2, job.mode = BATCH }
source { LocalFile { path = "$2", file_format_type = "$3", schema = { fields { $SCHEMA } } } }
sink { LocalFile { path = "$4", tmp_path = "$tmp/stage", file_format_type = "$5" ${6:-} } }
EOF
  job "$bin" "$1"
}

SCHEMA='id = bigint, name = string, score = double, f = float, dec = "decimal(18, 6)", day = date, tm = time,
        ts = timestamp, flag = boolean, small = tinyint, arr = "array<int>", m = "map<string, int>",
        r = { a = int, b = string }'

# generate NAME DIR FORMAT ROWS [extra sink options]: seeded FakeSource rows
generate() {
  cat >"$tmp/$1.conf" <<EOF
env { parallelism = 2, job.mode = BATCH }
source { FakeSource { row.num = $4, seed = 42, array.size = 3, map.size = 2, schema = { fields { $SCHEMA } } } }
sink { LocalFile { path = "$2", tmp_path = "$tmp/stage", file_format_type = "$3" ${5:-} } }
EOF
  job "$bin" "$1"
}

cur=dead_letter_contents
printf '1,ann,30\n2,bob,abc\n3,cid,41\n4,dan\n5,"e\tv\x01e",22\n6,"fay"x,50\n7,gus,33\n' >"$tmp/mixed.csv"
cat >"$tmp/dead.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source {
  LocalFile {
    path = "$tmp/mixed.csv", file_format_type = "csv"
    schema = { fields { id = int, name = string, age = int } }
    dead_letter_path = "$tmp/dead.jsonl", max_bad_rows = 10
  }
}
sink { Assert { rules { row_rules = [ { rule_type = MIN_ROW, rule_value = 4 }, { rule_type = MAX_ROW, rule_value = 4 } ] } } }
EOF
if job "$bin" dead; then
  {
    printf '{"file":"%s","line":2,"column":"age","reason":"not an integer","record":"2,bob,abc"}\n' "$tmp/mixed.csv"
    printf '{"file":"%s","line":4,"reason":"expected 3 fields, found 2","record":"4,dan"}\n' "$tmp/mixed.csv"
    printf '{"file":"%s","line":6,"reason":"text after the closing quote of a field","record":"6,\\"fay\\"x,50"}\n' "$tmp/mixed.csv"
  } >"$tmp/dead.want"
  check 'cmp -s "$tmp/dead.want" "$tmp/dead.jsonl"' "dead letters differ: $(diff "$tmp/dead.want" "$tmp/dead.jsonl")"
  check 'grep -q "Total Failed Count        :                   3" "$tmp/out"' "summary lacks 3 failed rows"
  # a second run starts the file afresh: the same 3 lines, not 6
  job "$bin" dead && check 'cmp -s "$tmp/dead.want" "$tmp/dead.jsonl"' "after a second run: $(wc -l <"$tmp/dead.jsonl") lines"
fi

echo "files: $pass passed, $fail failed"
