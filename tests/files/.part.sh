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

# ---- NUL bytes ----------------------------------------------------------------------------
# Files can hold NUL bytes, so a NUL inside a value survives every format:
# csv and text write it raw, json as \u0000; reading gives it back. Where
# a NUL cannot go — a directory name, a delimiter — it is an error.

cur=nul_bytes_round_trip
cat >"$tmp/nul.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source {
  FakeSource {
    schema = { fields { id = int, s = string, a = "array<string>" } }
    rows = [
      { kind = INSERT, fields = [1, "a\u0000b", ["x\u0000", "y"]] }
      { kind = INSERT, fields = [2, "\u0000", null] }
      { kind = INSERT, fields = [3, "com,ma\u0000\"q\"", null] }
    ]
  }
}
sink { LocalFile { path = "$tmp/nul/json", tmp_path = "$tmp/stage", file_format_type = "json" } }
EOF
if job "$bin" nul; then
  printf '{"id":1,"s":"a\\u0000b","a":["x\\u0000","y"]}\n{"id":2,"s":"\\u0000","a":null}\n{"id":3,"s":"com,ma\\u0000\\"q\\"","a":null}\n' >"$tmp/nul.want"
  check 'cmp -s "$tmp/nul.want" "$tmp"/nul/json/*' "json bytes differ: $(cat "$tmp"/nul/json/*)"
  saved_schema=$SCHEMA
  SCHEMA='id = int, s = string, a = "array<string>"'
  for fmt in csv text; do
    convert "nul_to_$fmt" "$tmp/nul/json" json "$tmp/nul/$fmt" "$fmt" &&
      convert "nul_from_$fmt" "$tmp/nul/$fmt" "$fmt" "$tmp/nul/back_$fmt" json &&
      check 'cmp -s "$tmp/nul.want" "$tmp"/nul/back_$fmt/*' "json → $fmt → json lost NUL bytes: $(od -c "$tmp"/nul/back_$fmt/* | head -3)"
  done
  printf '1,a\0b,x\0\002y\n2,\0,\n3,"com,ma\0""q""",\n' >"$tmp/nul.csv"
  check 'cmp -s "$tmp/nul.csv" "$tmp"/nul/csv/*' "csv bytes differ: $(od -c "$tmp"/nul/csv/* | head -4)"
  printf '1\001a\0b\001x\0\002y\n2\001\0\001\n3\001com,ma\0"q"\001\n' >"$tmp/nul.txt"
  check 'cmp -s "$tmp/nul.txt" "$tmp"/nul/text/*' "text bytes differ: $(od -c "$tmp"/nul/text/* | head -4)"
  # a raw NUL inside a JSON string (JSON wants \u0000) is kept, not dropped
  printf '{"id":4,"s":"r\0w","a":null}\n' >"$tmp/nul/raw.json"
  convert nul_raw_json "$tmp/nul/raw.json" json "$tmp/nul/raw_out" json &&
    check '[ "$(cat "$tmp"/nul/raw_out/*)" = "{\"id\":4,\"s\":\"r\\u0000w\",\"a\":null}" ]' "raw NUL in json: $(cat "$tmp"/nul/raw_out/*)"
  SCHEMA=$saved_schema
fi

cur=nul_in_partition_value_is_an_error
cat >"$tmp/nulpart.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source { FakeSource { schema = { fields { id = int, s = string } }, rows = [ { kind = INSERT, fields = [1, "ok"] }, { kind = INSERT, fields = [2, "a\u0000b"] } ] } }
sink { LocalFile { path = "$tmp/nulpart", tmp_path = "$tmp/stage", file_format_type = "csv", have_partition = true, partition_by = [s] } }
EOF
(cd "$tmp" && "$bin" run --no-progress -c "$tmp/nulpart.conf" >"$tmp/out" 2>"$tmp/err"); code=$?
check '[ $code -eq 1 ]' "exit $code, expected 1"
check 'grep -qF "partition_by column s: a NUL byte cannot be part of a directory name" "$tmp/err"' "no error naming the column"
check '[ -z "$(find "$tmp/nulpart" -type f 2>/dev/null)" ]' "files published: $(find "$tmp/nulpart" -type f)"

cur=nul_delimiter_is_an_error
for side in source sink; do
  if [ $side = source ]; then
    blocks="source { LocalFile { path = \"$tmp/nul/csv\", file_format_type = \"text\", field_delimiter = \"\\\\000\", schema = { fields { id = int } } } }
sink { Console {} }"
  else
    blocks="source { FakeSource { schema = { fields { id = int, s = string } }, row.num = 1 } }
sink { LocalFile { path = \"$tmp/nuldelim\", tmp_path = \"$tmp/stage\", file_format_type = \"text\", field_delimiter = \"\\\\000\" } }"
  fi
  printf 'env { parallelism = 1, job.mode = BATCH }\n%s\n' "$blocks" >"$tmp/nuldelim.conf"
  for sub in run check; do
    (cd "$tmp" && "$bin" $sub $([ $sub = run ] && echo "--no-progress -c") "$tmp/nuldelim.conf" >"$tmp/out" 2>"$tmp/err"); code=$?
    check '[ $code -eq 2 ]' "$side, $sub: exit $code, expected 2"
    check 'grep -qF "field_delimiter cannot hold a NUL byte" "$tmp/err"' "$side, $sub: no error about the NUL delimiter"
  done
done
check '[ ! -e "$tmp/nuldelim" ]' "the sink wrote files with a NUL delimiter"

echo "files: $pass passed, $fail failed"
