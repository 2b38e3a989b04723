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
  (cd "$tmp" && "$b" run --no-progress ${JOB_FLAGS:-} -c "$tmp/$name.conf" >"$tmp/out" 2>"$tmp/err")
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

# ---- round trips ---------------------------------------------------------------

cur=roundtrip_csv_json_csv
if generate gen_csv "$tmp/rt/a_csv" csv 1500 &&
   convert csv_to_json "$tmp/rt/a_csv" csv "$tmp/rt/b_json" json &&
   convert json_to_csv "$tmp/rt/b_json" json "$tmp/rt/c_csv" csv; then
  lines "$tmp/rt/a_csv" >"$tmp/a"; lines "$tmp/rt/c_csv" >"$tmp/c"
  check '[ "$(wc -l <"$tmp/a")" -eq 3000 ]' "expected 3000 csv lines, got $(wc -l <"$tmp/a")"
  check 'cmp -s "$tmp/a" "$tmp/c"' "csv → json → csv changed bytes: $(diff "$tmp/a" "$tmp/c" | head -3)"
  # the same rows written as JSON directly are the JSON of the csv
  generate gen_json "$tmp/rt/a_json" json 1500 &&
    check 'cmp -s <(lines "$tmp/rt/a_json") <(lines "$tmp/rt/b_json")' "FakeSource → json differs from csv → json"
fi

cur=roundtrip_text_json_text
if generate gen_text "$tmp/rt/a_text" text 700 &&
   convert text_to_json "$tmp/rt/a_text" text "$tmp/rt/b2_json" json &&
   convert json_to_text "$tmp/rt/b2_json" json "$tmp/rt/c_text" text; then
  check 'cmp -s <(lines "$tmp/rt/a_text") <(lines "$tmp/rt/c_text")' "text → json → text changed bytes"
  check '[ "$(lines "$tmp/rt/a_text" | wc -l)" -eq 1400 ]' "expected 1400 text lines"
fi

cur=roundtrip_compressed
if convert csv_to_json_zst "$tmp/rt/a_csv" csv "$tmp/rt/z_json" json ', compress_codec = "zstd"' &&
   convert json_zst_to_csv_gz "$tmp/rt/z_json" json "$tmp/rt/g_csv" csv ', compress_codec = "gzip"' &&
   convert csv_gz_to_text_lz4 "$tmp/rt/g_csv" csv "$tmp/rt/l_text" text ', compress_codec = "lz4"' &&
   convert text_lz4_to_csv "$tmp/rt/l_text" text "$tmp/rt/p_csv" csv; then
  check 'cmp -s "$tmp/a" <(lines "$tmp/rt/p_csv")' "csv → json.zst → csv.gz → text.lz4 → csv changed bytes"
  check '[ "$(find "$tmp/rt/z_json" -name "*.json.zst" | wc -l)" -ge 1 ]' "no .json.zst files"
  check '[ "$(find "$tmp/rt/g_csv" -name "*.csv.gz" | wc -l)" -ge 1 ]' "no .csv.gz files"
  check '[ "$(find "$tmp/rt/l_text" -name "*.txt.lz4" | wc -l)" -ge 1 ]' "no .txt.lz4 files"
  # other tools read them too
  if command -v gzip >/dev/null; then
    check 'cmp -s "$tmp/a" <(find "$tmp/rt/g_csv" -type f -exec gzip -dc {} + | LC_ALL=C sort)' "gzip -d disagrees"
  fi
  if command -v zstd >/dev/null; then
    check 'find "$tmp/rt/z_json" -type f -exec zstd -tq {} +' "zstd -t failed"
  fi
  if command -v lz4 >/dev/null; then
    check 'for f in $(find "$tmp/rt/l_text" -type f); do lz4 -tq "$f" || exit 1; done' "lz4 -t failed"
  fi
fi

# ---- exact bytes ------------------------------------------------------------------

cur=csv_quoting_bytes
cat >"$tmp/quote.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source {
  FakeSource {
    schema = { fields { id = int, s = string, e = string, n = string, d = double, a = "array<string>" } }
    rows = [
      { kind = INSERT, fields = [1, "plain", "", null, 1.5, ["x", "y"]] }
      { kind = INSERT, fields = [2, "com,ma", "quo\"te", "new\nline", null, []] }
      { kind = INSERT, fields = [null, "cr\rhere", " lead", "\"", -0.0, null] }
    ]
  }
}
sink { LocalFile { path = "$tmp/quote", tmp_path = "$tmp/stage", file_format_type = "csv", enable_header_write = true } }
EOF
if job "$bin" quote; then
  printf 'id,s,e,n,d,a\n1,plain,"",,1.5,x\002y\n2,"com,ma","quo""te","new\nline",,\n,"cr\rhere", lead,"""",-0.0,\n' >"$tmp/quote.want"
  check 'cmp -s "$tmp/quote.want" "$tmp"/quote/*.csv' "csv bytes differ: $(cmp "$tmp/quote.want" "$tmp"/quote/*.csv)"
fi

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

# ---- what a source directory holds ----------------------------------------------------------
# Every entry of a source directory is read or refused by name: a dangling
# symlink, a fifo, an unreadable file or directory must fail the job (and
# `check`, with the same exit code) instead of being skipped.

# listing NAME EXIT TEXT [RUNNER...]: `run` and `check` of $tmp/ls/NAME.conf
# (source: $tmp/ls/NAME) both exit EXIT, and stderr names TEXT
lsconf() {
  cat >"$tmp/ls/$1.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source { LocalFile { path = "$tmp/ls/$1", file_format_type = "csv", schema = { fields { id = int, s = string } } } }
sink { Console {} }
EOF
}
listing() {
  local name=$1 want=$2 text=$3; shift 3
  lsconf "$name"
  local sub code
  for sub in run check; do
    if [ $sub = run ]; then
      (cd "$tmp/ls" && "$@" "$bin" run --no-progress -c "$tmp/ls/$name.conf" >"$tmp/out" 2>"$tmp/err"); code=$?
    else
      (cd "$tmp/ls" && "$@" "$bin" check "$tmp/ls/$name.conf" >"$tmp/out" 2>"$tmp/err"); code=$?
    fi
    check '[ $code -eq $want ]' "$sub: exit $code, expected $want"
    check 'grep -qF -- "$text" "$tmp/err"' "$sub: stderr lacks: $text"
    check '! grep -q "Total Read Count" "$tmp/out"' "$sub: printed a successful summary"
  done
}

mkdir -p "$tmp/ls" && chmod 755 "$tmp" "$tmp/ls"
cur=source_dangling_symlink
mkdir -p "$tmp/ls/dangling" && printf '1,a\n2,b\n' >"$tmp/ls/dangling/a.csv" && printf '3,c\n' >"$tmp/ls/dangling/c.csv"
ln -s "$tmp/ls/nowhere.csv" "$tmp/ls/dangling/b.csv"
listing dangling 1 "$tmp/ls/dangling/b.csv: a dangling symbolic link (to $tmp/ls/nowhere.csv)"

cur=source_fifo
mkdir -p "$tmp/ls/fifo" && printf '1,a\n' >"$tmp/ls/fifo/a.csv" && mkfifo "$tmp/ls/fifo/b.csv"
listing fifo 1 "$tmp/ls/fifo/b.csv: not a regular file or directory (a fifo)"

# unreadable entries: root reads everything, so run as nobody when root
as_user=()
[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if [ "$(id -u)" -ne 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  cur=source_unreadable_file
  mkdir -p "$tmp/ls/nofile" && printf '1,a\n' >"$tmp/ls/nofile/a.csv" && printf '2,b\n' >"$tmp/ls/nofile/b.csv"
  chmod 000 "$tmp/ls/nofile/b.csv"
  listing nofile 1 "cannot read $tmp/ls/nofile/b.csv: Permission denied" "${as_user[@]}"
  cur=source_unreadable_dir
  mkdir -p "$tmp/ls/nodir/sub" && printf '1,a\n' >"$tmp/ls/nodir/a.csv" && printf '2,b\n' >"$tmp/ls/nodir/sub/b.csv"
  chmod 000 "$tmp/ls/nodir/sub"
  listing nodir 1 "cannot read directory $tmp/ls/nodir/sub: Permission denied" "${as_user[@]}"
  chmod 755 "$tmp/ls/nodir/sub"
else
  echo "SKIP source_unreadable_*: running as root without setpriv"
fi

# a file listed at plan time that is gone when its reader opens it: here a
# sink's DROP_DATA empties the source directory in between
cur=source_file_vanishes
mkdir -p "$tmp/ls/vanish" && printf '1,a\n' >"$tmp/ls/vanish/a.csv" && printf '2,b\n' >"$tmp/ls/vanish/b.csv"
cat >"$tmp/ls/vanish.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source { LocalFile { path = "$tmp/ls/vanish", file_format_type = "csv", schema = { fields { id = int, s = string } } } }
sink { LocalFile { path = "$tmp/ls/vanish", tmp_path = "$tmp/stage", file_format_type = "csv", data_save_mode = DROP_DATA } }
EOF
(cd "$tmp/ls" && "$bin" run --no-progress -c "$tmp/ls/vanish.conf" >"$tmp/out" 2>"$tmp/err"); code=$?
check '[ $code -eq 1 ]' "exit $code, expected 1"
check 'grep -qF "cannot open $tmp/ls/vanish/a.csv: No such file or directory" "$tmp/err"' "the vanished file is not named"

cur=source_missing_path
listing missing 2 "path $tmp/ls/missing does not exist"

# what is skipped on purpose, and only that: hidden files, _SUCCESS, empty files
cur=source_skips_only_hidden_and_empty
mkdir -p "$tmp/ls/skips/d" && printf '1,a\n' >"$tmp/ls/skips/a.csv" && printf '2,b\n' >"$tmp/ls/skips/d/b.csv"
printf 'x\n' >"$tmp/ls/skips/.hidden" && printf 'x\n' >"$tmp/ls/skips/_SUCCESS" && : >"$tmp/ls/skips/empty.csv"
ln -s "$tmp/ls/skips/a.csv" "$tmp/ls/skips/link.csv"
lsconf skips
(cd "$tmp/ls" && "$bin" run --no-progress -c "$tmp/ls/skips.conf" >"$tmp/out" 2>"$tmp/err")
code=$?
check '[ $code -eq 0 ] && grep -q "Total Read Count          :                   3" "$tmp/out"' "expected 3 rows (a, d/b and the link to a)"

# ---- files and staging ------------------------------------------------------------------

cur=batch_size_rolls_files
cat >"$tmp/roll.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source { FakeSource { row.num = 10, seed = 5, schema = { fields { id = int } } } }
sink { LocalFile { path = "$tmp/roll", tmp_path = "$tmp/rollstage", file_format_type = "csv", batch_size = 3, enable_header_write = true } }
EOF
if job "$bin" roll; then
  names=$(cd "$tmp/roll" && ls | sed -E 's/^T_[0-9]+_[0-9a-f]{10}_0_1_([0-9]+)\.csv$/\1/' | sort -n | tr '\n' ' ')
  check '[ "$names" = "0 1 2 3 " ]' "file numbers: '$names'"
  counts=$(for f in $(ls "$tmp"/roll/* | sort -t_ -k5 -n); do wc -l <"$f"; done | tr '\n' ' ')
  check '[ "$counts" = "4 4 4 2 " ]' "lines per file (header + rows): '$counts'"
  check '[ -z "$(find "$tmp/rollstage" -type f)" ]' "staged files left behind: $(find "$tmp/rollstage" -type f | head -3)"
fi

cur=no_transaction_writes_in_place
cat >"$tmp/notx.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source { FakeSource { row.num = 4, seed = 5, schema = { fields { id = int } } } }
sink { LocalFile { path = "$tmp/notx", tmp_path = "$tmp/notxstage", file_format_type = "text", is_enable_transaction = false } }
EOF
if job "$bin" notx; then
  check '[ ! -e "$tmp/notxstage" ]' "tmp_path was used without transactions"
  check '[ "$(cat "$tmp"/notx/* | wc -l)" -eq 4 ]' "expected 4 lines in place"
fi

# ---- a gigabyte with bounded memory -------------------------------------------------------

cur=large_file_bounded_memory
big_schema='id = bigint, name = string, score = double, day = date, ts = timestamp, note = string'
cat >"$tmp/biggen.conf" <<EOF
env { parallelism = 2, job.mode = BATCH }
source { FakeSource { row.num = 4700000, seed = 1, string.length = 20, schema = { fields { $big_schema } } } }
sink { LocalFile { path = "$tmp/big", tmp_path = "$tmp/bigstage", file_format_type = "csv" } }
EOF
cat >"$tmp/bigread.conf" <<EOF
env { parallelism = 2, job.mode = BATCH }
source { LocalFile { path = "$tmp/big", file_format_type = "csv", schema = { fields { $big_schema } } } }
sink { Assert { rules { row_rules = [ { rule_type = MIN_ROW, rule_value = 9400000 }, { rule_type = MAX_ROW, rule_value = 9400000 } ] } } }
EOF
start=$(date +%s)
if job "$opt" biggen; then
  bytes=$(du -sb "$tmp/big" | cut -f1)
  check '[ "$bytes" -gt 1000000000 ]' "the generated csv has only $bytes bytes"
  if [ -x /usr/bin/time ]; then
    (cd "$tmp" && /usr/bin/time -f "%M" -o "$tmp/rss" "$opt" run --no-progress -c "$tmp/bigread.conf" >"$tmp/out" 2>"$tmp/err")
    code=$?
    rss=$(tail -1 "$tmp/rss")
    check '[ $code -eq 0 ]' "reading the big file: exit $code"
    check '[ "$rss" -lt 32768 ]' "peak RSS $rss KiB reading $bytes bytes (limit 32 MiB; README states the figure)"
  else
    job "$opt" bigread && ok
  fi
  secs=$(( $(date +%s) - start ))
  check '[ $secs -lt 60 ]' "the gigabyte took ${secs}s"
  echo "     large file: $bytes bytes written and read in ${secs}s, peak RSS ${rss:-?} KiB"
fi
rm -rf "$tmp/big" "$tmp/bigstage"

# ---- crash safety -------------------------------------------------------------------------

# staged BYTES under DIR (0 when it does not exist)
staged_bytes() { find "$1" -type f -printf '%s\n' 2>/dev/null | awk '{s += $1} END {print s + 0}'; }

# start_and_kill CONF STAGE LIMIT: run CONF with the optimised build in the
# background and kill -9 it once this run has staged more than LIMIT bytes
# under STAGE (its own job directory: not counting what earlier runs left);
# 0 when it was killed, with this run's staged bytes at the kill in $staged
start_and_kill() {
  local before; before=$(ls "$2/seatunnel" 2>/dev/null)
  (cd "$tmp" && exec "$opt" run --no-progress -c "$1" >/dev/null 2>"$tmp/crash.err") &
  local pid=$! d
  staged=0
  for _ in $(seq 1 1500); do
    staged=$(for d in $(ls "$2/seatunnel" 2>/dev/null); do
               grep -qxF "$d" <<<"$before" || staged_bytes "$2/seatunnel/$d"
             done | awk '{s += $1} END {print s + 0}')
    [ "$staged" -gt "$3" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.02
  done
  if kill -9 $pid 2>/dev/null; then wait $pid 2>/dev/null; return 0; fi
  wait $pid
  return 1
}

cur=kill_mid_write_publishes_nothing
cat >"$tmp/crash.conf" <<EOF
env { parallelism = 2, job.mode = BATCH }
source { FakeSource { row.num = 3000000, seed = 9, string.length = 30, schema = { fields { id = bigint, s = string } } } }
sink { LocalFile { path = "$tmp/crash", tmp_path = "$tmp/crashstage", file_format_type = "csv" } }
EOF
if start_and_kill "$tmp/crash.conf" "$tmp/crashstage" 20000000; then
  check '[ -z "$(find "$tmp/crash" -type f 2>/dev/null)" ]' "files visible after kill -9: $(find "$tmp/crash" -type f | head -3)"
  check '[ "$staged" -gt 0 ]' "nothing was staged before the kill"
  echo "     killed with $staged bytes staged under tmp_path"
  # kill the reruns too: each one clears what the run before it left, so
  # the staging area holds one run's data, never a pile of them
  most=$staged
  for k in 2 3 4; do
    start_and_kill "$tmp/crash.conf" "$tmp/crashstage" 20000000 || { bad "rerun $k ended before the kill"; break; }
    check 'grep -q "killed" "$tmp/crash.err"' "rerun $k did not log clearing the killed run's staged files"
    now=$(staged_bytes "$tmp/crashstage")
    [ "$staged" -gt "$most" ] && most=$staged
    check '[ "$now" -le $((most * 3 / 2)) ]' "after kill $k: $now bytes staged (one run staged at most $most)"
  done
  echo "     after 4 kills: $(staged_bytes "$tmp/crashstage") bytes staged"
  # the rerun: exactly one copy of the data, and nothing left staged
  if job "$opt" crash; then
    check 'grep -q "killed" "$tmp/err"' "the rerun did not log clearing the killed run's staged files"
    cat >"$tmp/crashread.conf" <<EOF
env { parallelism = 2, job.mode = BATCH }
source { LocalFile { path = "$tmp/crash", file_format_type = "csv", schema = { fields { id = bigint, s = string } } } }
sink { Assert { rules { row_rules = [ { rule_type = MIN_ROW, rule_value = 6000000 }, { rule_type = MAX_ROW, rule_value = 6000000 } ] } } }
EOF
    job "$opt" crashread && ok
    # 3 000 000 rows per writer, batch_size 1 000 000: three files each
    check '[ "$(find "$tmp/crash" -type f | wc -l)" -eq 6 ]' "expected 6 files, got $(find "$tmp/crash" -type f | wc -l)"
    check '[ -z "$(find "$tmp/crashstage" -type f)" ]' "staged files left: $(find "$tmp/crashstage" -type f | head -3)"
  fi
else
  bad "the job ended before it could be killed (staged $staged bytes); make it bigger"
fi
rm -rf "$tmp/crash" "$tmp/crashstage"

# A second file system for tmp_path: /dev/shm (tmpfs) when it is another
# device than $tmp, so that commit has to copy instead of rename.
xdev=""
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$tmp")" ]; then
  xdev=$(mktemp -d /dev/shm/culvert-files.XXXXXX)
  [ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$tmp" "$xdev"' EXIT
fi

cur=kill_during_cross_device_copy
if [ -n "$xdev" ]; then
  # big files so that copying takes a while; poll the target and kill the
  # moment anything appears in it: whatever is there must be complete
  cat >"$tmp/xcrash.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source { FakeSource { row.num = 1500000, seed = 9, string.length = 30, schema = { fields { id = bigint, s = string } } } }
sink { LocalFile { path = "$tmp/xcrash", tmp_path = "$xdev/stage", file_format_type = "csv", batch_size = 500000 } }
EOF
  (cd "$tmp" && exec "$opt" run --no-progress -c "$tmp/xcrash.conf" >/dev/null 2>"$tmp/crash.err") &
  pid=$!
  seen=""
  for _ in $(seq 1 3000); do
    seen=$(find "$tmp/xcrash" -type f 2>/dev/null | head -1)
    [ -n "$seen" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.005
  done
  if kill -9 $pid 2>/dev/null; then
    wait $pid 2>/dev/null
    hidden=$(find "$tmp/xcrash" -type f -name '.*' 2>/dev/null | head -3)
    check '[ -z "$hidden" ]' "a partial file in the target after kill -9 during a copy: $hidden"
    # every visible file is a complete one: 500 000 lines
    for f in $(find "$tmp/xcrash" -type f ! -name '.*' 2>/dev/null); do
      check '[ "$(wc -l <"$f")" -eq 500000 ]' "$f has $(wc -l <"$f") lines"
    done
    if job "$opt" xcrash; then
      check '[ "$(cat "$tmp"/xcrash/* | wc -l)" -eq 1500000 ]' "after the rerun: $(cat "$tmp"/xcrash/* | wc -l) lines, not 1500000"
      check '[ -z "$(find "$tmp/xcrash" -name ".*")" ]' "hidden files left in the target"
      check '[ -z "$(find "$xdev/stage" -type f)" ]' "staged files left on the other file system"
    fi
  else
    wait $pid
    bad "the job ended before anything appeared in the target"
  fi
  rm -rf "$tmp/xcrash" "$xdev/stage"
else
  echo "SKIP kill_during_cross_device_copy: no second file system (/dev/shm on another device)"
fi

# ---- crashes inside commit (test-only hook of debug builds) ---------------------------------
# CULVERT_TEST_CRASH=publish:K kills the process (SIGKILL) right before the
# K-th file of a commit is published, copy:K halfway through copying the
# K-th file to another file system, fail:K makes the K-th publish fail.
# Release builds ignore it; these tests need the debug build ($bin).

# crash_conf NAME TMP_PATH: 6 files of 1000 rows, one writer
crash_conf() {
  cat >"$tmp/$1.conf" <<EOF
env { parallelism = 1, job.mode = BATCH }
source { FakeSource { row.num = 6000, seed = 4, schema = { fields { id = bigint, s = string } } } }
sink { LocalFile { path = "$tmp/$1", tmp_path = "$2", file_format_type = "csv", batch_size = 1000 } }
EOF
}
# hooked NAME POINT [FLAGS]: run job NAME with CULVERT_TEST_CRASH=POINT; exit code in $code
hooked() {
  # (the braces keep bash's "Killed" notice out of the test output)
  { (cd "$tmp" && CULVERT_TEST_CRASH=$2 "$bin" run --no-progress ${3:-} -c "$tmp/$1.conf" >"$tmp/out" 2>"$tmp/err"); code=$?; } 2>/dev/null
}
# one_copy NAME: after a rerun, the 6000 rows once in 6 files, nothing staged
one_copy() {
  local d=$tmp/$1 st=$2
  check '[ "$(find "$d" -type f | wc -l)" -eq 6 ]' "expected 6 files, got $(find "$d" -type f | wc -l)"
  check '[ "$(cat "$d"/* | wc -l)" -eq 6000 ] && [ "$(cat "$d"/* | sort -u | wc -l)" -eq 6000 ]' \
    "expected 6000 distinct lines, got $(cat "$d"/* | wc -l) ($(cat "$d"/* | sort -u | wc -l) distinct)"
  check '[ -z "$(find "$st" -type f 2>/dev/null)" ]' "staged files left: $(find "$st" -type f | head -3)"
}

for where in same other; do
  stage=$tmp/kstage
  if [ $where = other ]; then
    [ -n "$xdev" ] || { echo "SKIP kill_inside_commit (other file system): none"; continue; }
    stage=$xdev/kstage
  fi
  cur=kill_inside_commit_$where
  crash_conf kcommit "$stage"
  hooked kcommit publish:3
  check '[ $code -eq 137 ]' "exit $code: the hook did not kill the commit (a debug build is needed)"
  check '[ "$(find "$tmp/kcommit" -type f ! -name ".*" | wc -l)" -eq 2 ]' "expected 2 files published before the kill, got $(find "$tmp/kcommit" -type f | wc -l)"
  check '[ -z "$(find "$tmp/kcommit" -name ".*")" ]' "hidden files in the target after the kill"
  if job "$bin" kcommit; then
    check 'grep -q "rolled back 2 files" "$tmp/err"' "the rerun did not say it rolled back the 2 published files"
    one_copy kcommit "$stage"
  fi
  rm -rf "$tmp/kcommit" "$stage"

  if [ $where = other ]; then
    cur=kill_mid_copy
    crash_conf kcopy "$stage"
    hooked kcopy copy:2
    check '[ $code -eq 137 ]' "exit $code: the hook did not kill the copy"
    check '[ "$(find "$tmp/kcopy" -type f | wc -l)" -eq 1 ]' "expected only the first file after a kill mid-copy: $(find "$tmp/kcopy" -type f)"
    job "$bin" kcopy && one_copy kcopy "$stage"
    rm -rf "$tmp/kcopy" "$stage"
  fi

  cur=commit_failure_rolls_back_$where
  crash_conf kfail "$stage"
  hooked kfail fail:4 -v
  check '[ $code -eq 1 ]' "exit $code, expected 1 (the 4th publish fails)"
  check 'grep -q "injected failure" "$tmp/err"' "the injected failure is not reported"
  check 'grep -q "Job Status                :              FAILED" "$tmp/out"' "no failed summary"
  check '[ -z "$(find "$tmp/kfail" -type f 2>/dev/null)" ]' "a failed commit left files: $(find "$tmp/kfail" -type f | head -3)"
  check '[ -z "$(find "$stage" -type f 2>/dev/null)" ]' "a failed commit left staged files"
  check 'grep -q "rolled back the 3 files" "$tmp/err"' "no log line about rolling back the 3 published files"
  # what the sink acknowledges: no row is in a published file
  check 'grep -q "LocalFile (sink #1): 0 rows acknowledged (in published files)" "$tmp/err"' "the sink does not acknowledge 0 rows"
  # and the job's Write Count says the same
  check 'grep -q "Total Write Count         :                   0" "$tmp/out"' "a failed commit reports written rows: $(grep "Write Count" "$tmp/out")"
  rm -rf "$tmp/kfail" "$stage"; crash_conf kfail "$stage"
  hooked kfail fail:4 --json
  check 'jq -e ".write_rows == 0 and .status == \"FAILED\"" "$tmp/out" >/dev/null' "--json of a failed commit: $(cat "$tmp/out")"
  rm -rf "$tmp/kfail" "$stage"
done

# ---- the Write Count is the rows in the published files ------------------------------------

cur=write_count_is_rows_in_files
# published ROOT: data lines in every published file under ROOT (headers off)
published() { find "$1" -type f ! -name '.*' -print0 | xargs -0 -r cat | wc -l; }
wc_case() { # wc_case NAME ROWS PAR EXTRA_SINK_OPTIONS
  cat >"$tmp/$1.conf" <<EOF
env { parallelism = $3, job.mode = BATCH }
source { FakeSource { row.num = $2, seed = 8, schema = { fields { id = bigint, s = string, k = int } } } }
sink { LocalFile { path = "$tmp/wc/$1", tmp_path = "$tmp/stage" $4 } }
EOF
  if JOB_FLAGS=-v job "$bin" "$1"; then
    local rows files name=$1 made=$(($2 * $3))
    if [[ "$4" == *gzip* ]]; then rows=$(find "$tmp/wc/$1" -type f -exec gzip -dc {} + | wc -l)
    else rows=$(published "$tmp/wc/$1"); fi
    [[ "$4" == *enable_header_write* ]] && rows=$((rows - $(find "$tmp/wc/$1" -type f | wc -l)))
    files=$(find "$tmp/wc/$1" -type f | wc -l)
    check '[ "$rows" -eq $made ]' "$name: $rows rows in the files, $made made"
    check 'grep -q "Total Write Count         : *$rows\$" "$tmp/out"' "$name: Write Count is not the $rows rows in the files: $(grep "Write Count" "$tmp/out")"
    check 'grep -q "committed $files files with $rows rows" "$tmp/err"' "$name: no log line \"committed $files files with $rows rows\""
    check 'grep -q "LocalFile (sink #1): $rows rows acknowledged" "$tmp/err"' "$name: the sink does not acknowledge the $rows rows: $(grep acknowledged "$tmp/err")"
  fi
}
wc_case wc_csv 2500 2 ', file_format_type = "csv", batch_size = 1000'
wc_case wc_header 999 1 ', file_format_type = "csv", batch_size = 100, enable_header_write = true'
wc_case wc_json 1200 2 ', file_format_type = "json", have_partition = true, partition_by = [k]'
wc_case wc_text_gz 3000 1 ', file_format_type = "text", compress_codec = "gzip", batch_size = 700'
wc_case wc_notx 1500 2 ', file_format_type = "csv", is_enable_transaction = false, batch_size = 400'
rm -rf "$tmp/wc"

echo "files: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
