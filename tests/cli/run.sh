#!/usr/bin/env bash
# run.sh — command-line tests: exit codes, error text with positions and
# carets, --json outputs (checked with jq), the summary block, variables,
# the seatunnel.sh wrapper and Ctrl-C. Usage: run.sh CULVERT
set -uo pipefail
bin=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
jobs=$here/jobs
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0

# t NAME EXPECTED_EXIT -- ARGS... : run culvert, keep stdout/stderr in $out/$err
t() {
  local name=$1 want=$2; shift 3
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; code=$?
  out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
  cur=$name
  if [ "$code" != "$want" ]; then bad "exit $code, expected $want"; return 1; fi
  if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$tmp/err"; then bad "sanitizer report"; return 1; fi
  ok
}
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $cur: $1"; sed 's/^/    | /' "$tmp/err" | tail -8; }
has() { # has STREAM TEXT
  local s; [ "$1" = out ] && s=$out || s=$err
  if grep -qF -- "$2" <<<"$s"; then ok; else bad "$1 lacks: $2"; fi
}
json() { # json FILTER : jq filter on stdout must be true
  if jq -e "$1" >/dev/null 2>&1 <<<"$out"; then ok; else bad "jq '$1' failed on: $(head -c 300 <<<"$out")"; fi
}

t usage 2 -- ; has err "usage:"
t help 0 -- --help; has out "culvert run -c FILE"
t version 0 -- version; has out "culvert "
t unknown_command 2 -- frobnicate; has err 'unknown command "frobnicate"'
t no_file 2 -- run; has err "no job file given"
t missing_file 2 -- run -c "$tmp/nope.conf"; has err "cannot open"
t unknown_flag 2 -- run --frob; has err "unknown flag --frob"

t run_ok 0 -- run -c "$jobs/ok.conf"
has out "           Job Statistic Information"
has out "Total Read Count          :                  32"
has out "Total Write Count         :                  32"
has out "Total Failed Count        :                   0"
t multi_table_summary 0 -- run -c "$jobs/multi_table.conf"
has out "Table                Read Count      Write Count"
has out "shop.orders                   5                5"
has out "shop.customers                7                7"
t multi_table_json 0 -- run -c "$jobs/multi_table.conf" --json
json '[.tables[] | [.name, .read_rows, .write_rows]] == [["shop.orders", 5, 5], ["shop.customers", 7, 7]]'
t run_json_file 0 -- run -c "$jobs/ok.json"
t run_seatunnel_style 0 -- --config "$jobs/ok.conf" -m local -n named
t run_json 0 -- run -c "$jobs/ok.conf" --json
json '.status == "FINISHED" and .read_rows == 32 and .write_rows == 32 and .failed_rows == 0'

t job_failure 1 -- run -c "$jobs/job_fails.conf"; has err "expected 11 rows, got 10"
t job_failure_json 1 -- run -c "$jobs/job_fails.conf" --json
json '.status == "FAILED" and (.error.message | test("expected 11 rows"))'

# a failed run prints the summary block too, with the counts so far
t job_failure_summary 1 -- run -c "$jobs/job_fails.conf"
has out "           Job Statistic Information"
has out "Job Status                :              FAILED"
has out "Total Read Count          :                  10"
has out "Total Write Count         :                  10"
has out "Total Failed Count        :                   0"
has err "expected 11 rows, got 10"

# bad rows: every one seen is counted, whether the limit is exceeded or not,
# and the dead-letter file holds this run's bad rows only
bad=(-i "dir=$jobs" -i "dead=$tmp/dead.jsonl")
t bad_rows_within_limit 0 -- run -c "$jobs/bad_rows.conf" "${bad[@]}" -i max=10 --json
json '.status == "FINISHED" and .read_rows == 3 and .write_rows == 3 and .failed_rows == 2'
t bad_rows_within_limit_again 0 -- run -c "$jobs/bad_rows.conf" "${bad[@]}" -i max=10
has out "Total Failed Count        :                   2"
cur=dead_letter_one_run
[ "$(wc -l <"$tmp/dead.jsonl")" -eq 2 ] && ok || bad "the dead-letter file has $(wc -l <"$tmp/dead.jsonl") lines after two runs, not 2"
t bad_rows_past_limit 1 -- run -c "$jobs/bad_rows.conf" "${bad[@]}" -i max=1 --json
json '.status == "FAILED" and .read_rows == 2 and .failed_rows == 2 and (.error.message | test("more than 1 bad rows"))'
cur=dead_letter_past_limit
[ "$(wc -l <"$tmp/dead.jsonl")" -eq 2 ] && ok || bad "the dead-letter file has $(wc -l <"$tmp/dead.jsonl") lines, not the 2 bad rows seen"
t bad_rows_past_limit_text 1 -- run -c "$jobs/bad_rows.conf" "${bad[@]}" -i max=1
has out "Total Read Count          :                   2"
has out "Total Failed Count        :                   2"
has err "two_bad.csv:5, column age: not an integer"
t bad_rows_strict 1 -- run -c "$jobs/bad_rows_strict.conf" -i "dir=$jobs" --json
json '.status == "FAILED" and .read_rows == 1 and .failed_rows == 1 and (.error.message | test("two_bad.csv:3, column age"))'
# a clean run empties the dead-letter file: no stale rows from before
printf 'id,name,age\n1,ann,30\n' >"$tmp/two_bad.csv"
t dead_letter_clean_run 0 -- run -c "$jobs/bad_rows.conf" -i "dir=$tmp" -i "dead=$tmp/dead.jsonl" -i max=10
cur=dead_letter_clean_run_file
[ -f "$tmp/dead.jsonl" ] && [ ! -s "$tmp/dead.jsonl" ] && ok || bad "after a clean run the dead-letter file holds $(wc -l <"$tmp/dead.jsonl" 2>&1) lines"
# check and run agree on the exit code of the same problem: a job file whose
# paths do not fit the disk is a bad job file (2) for both, found before any
# row moves; an entry the source cannot read is the job's failure (1) for both
mkdir -p "$tmp/agree/full" "$tmp/agree/links"
printf '1\n' >"$tmp/agree/in.csv"; printf 'x\n' >"$tmp/agree/full/old.csv"
ln -s "$tmp/agree/gone.csv" "$tmp/agree/links/a.csv"
for case in missing_input:2 dead_letter_dir:2 sink_path_file:2 tmp_path_file:2 schema_not_exist:2 data_exists:2 \
            nul_delimiter:2 dangling:1; do
  name=${case%:*} want=${case#*:}
  t "agree_${name}_check" "$want" -- check "$jobs/agree_$name.conf" -i "tmp=$tmp/agree"
  t "agree_${name}_run" "$want" -- run --no-progress -c "$jobs/agree_$name.conf" -i "tmp=$tmp/agree"
done
cur=agree_nothing_touched
[ ! -e "$tmp/agree/out" ] && [ ! -e "$tmp/agree/stage" ] && [ ! -e "$tmp/agree/absent" ] && ok ||
  bad "a refused job created files: $(ls "$tmp/agree")"
t two_job_files_run 2 -- run -c "$jobs/ok.conf" "$jobs/ok.json"; has err "two job files given"
t two_job_files_check 2 -- check -c "$jobs/ok.conf" "$jobs/ok.json"; has err "two job files given"

t vars 0 -- run -c "$jobs/vars.conf" -i name=people -i rows=7 -i expect=7
t vars_comma 0 -- run -c "$jobs/vars.conf" -i name=people,rows=3,expect=6,par=2
t vars_env 0 -- run -c "$jobs/vars.conf" -i name=x -i rows=4 -i expect=4
t vars_reserved 2 -- run -c "$jobs/vars.conf" -i table_name=x; has err "placeholder"
t unresolved 2 -- check "$jobs/unresolved.conf"
has err "unresolved.conf:2:33: error: unresolved variable \${who}"
has err "-i who=VALUE"

t check_ok 0 -- check "$jobs/ok.conf"; has out "OK"
t check_json_ok 0 -- check --json "$jobs/ok.conf"
json '.ok == true and (.plan.nodes | length) == 2 and .plan.nodes[0].tables[0].columns[1].type == "int"'
t check_json_error 2 -- check --json "$jobs/bad_option.conf"
json '.ok == false and .errors[0].line == 3 and .errors[0].col == 5 and .errors[0].code == "ECONFIG"'

t bad_type 2 -- check "$jobs/bad_type.conf"
has err 'bad_type.conf:3:15: error: option row.num expects an integer, but got the string "abc"'
has err '|     row.num = "abc"'
t bad_decimal 2 -- check "$jobs/bad_decimal.conf"; has err 'bad type "decimal(x)"'; has err "bad_decimal.conf:3:29"
t bad_enum 2 -- check "$jobs/bad_enum.conf"; has err '"BACH" is not allowed (did you mean BATCH?)'
t bad_plugin 2 -- check "$jobs/bad_plugin.conf"; has err 'unknown source plugin "FakeSorce" (did you mean "FakeSource"?)'
t bad_option 2 -- check "$jobs/bad_option.conf"; has err 'unknown option "row.nmu"'; has err 'did you mean "row.num"'
has err "valid options:"
t lenient 0 -- run --lenient -c "$jobs/bad_option.conf"; has err 'unknown option "row.nmu"'; has err "(ignored: --lenient)"
t missing_required 2 -- check "$jobs/missing_required.conf"; has err 'missing the required option "field_mapper"'
t bad_syntax 2 -- check "$jobs/bad_syntax.conf"; has err "bad_syntax.conf:2:14: error: this '{' seems to lack its '}'"
# the caret sits under column 14
if grep -qE '^        \|              \^' "$tmp/err"; then ok; else cur=caret; bad "caret not under column 14"; fi

t plan_text 0 -- plan "$jobs/ok.conf"
has out "FakeSource (source #1) => fake  x2"
has out '`--> TemplateSink (sink #1)  x2'
has out "table fake (name string, age int)"
t plan_json 0 -- plan --json "$jobs/ok.conf"; json '.plan.edges == [[0,1]]'

t connectors 0 -- connectors; has out "FakeSource"; has out "Console"
t connectors_one 0 -- connectors fakesource; has out "row.num"; has out "rows per parallel reader"
t connectors_json 0 -- connectors --json
json '(.plugins | map(.name) | index("FakeSource")) != null and (.env | map(.key) | index("job.mode")) != null'
t connectors_missing 2 -- connectors FakeSorce; has err 'did you mean "FakeSource"'

# the SeaTunnel launcher
cur=wrapper
if CULVERT_BIN=$bin "$top/bin/seatunnel.sh" --config "$jobs/ok.conf" -e local >"$tmp/out" 2>"$tmp/err"; then ok; else bad "wrapper run failed"; fi
if CULVERT_BIN=$bin "$top/bin/seatunnel.sh" -c "$jobs/bad_option.conf" --check >"$tmp/out" 2>"$tmp/err"; then bad "--check passed a bad file"; else [ $? = 2 ] && ok || bad "--check exit code"; fi
if CULVERT_BIN=$bin "$top/bin/seatunnel.sh" -c "$jobs/ok.conf" -r 1 >"$tmp/out" 2>"$tmp/err"; then bad "-r accepted"; else ok; fi

# Ctrl-C stops a streaming job promptly and cleanly
cur=sigint
"$bin" run -c "$jobs/streaming.conf" >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then kill -9 $pid; bad "did not stop within 5 s of SIGINT"; else
  wait $pid; code=$?
  [ $code = 1 ] && grep -q "cancelled" "$tmp/err" && ok || bad "exit $code after SIGINT"
  grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)" "$tmp/err" && bad "sanitizer report after SIGINT"
fi

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
