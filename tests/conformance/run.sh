#!/usr/bin/env bash
# run.sh — runs SeaTunnel's own end-to-end job files (the conformance
# corpus in ../shared/conformance) and reports "N passed, N failed,
# N skipped". A job is skipped when it needs a plugin or format culvert
# does not have yet (the reason is printed). Jobs whose SeaTunnel IT
# expects failure must fail. Known failures are listed, with reasons, in
# expected-failures.txt; only a failure not listed there (a regression)
# fails the suite, and a listed job that now passes is reported so the list
# can shrink. Usage: run.sh CULVERT [FILTER]
set -uo pipefail
bin=$(readlink -f "$1"); filter=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
corpus=${CV_CONFORMANCE_DIR:-}
for c in "$top/../shared/conformance/seatunnel-2.3.8" "/work/shared/conformance/seatunnel-2.3.8"; do
  [ -z "$corpus" ] && [ -d "$c/jobs" ] && corpus=$c
done
if [ -z "$corpus" ] || [ ! -d "$corpus/jobs" ]; then
  echo "conformance: corpus not found (set CV_CONFORMANCE_DIR); 0 passed, 0 failed, 0 skipped"
  exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
known="$here/expected-failures.txt"

# Data the ITs copy into their containers before running (LocalFileIT),
# staged under a scratch root that replaces / in the job files' paths.
stage() {
  local d="$corpus/data/seatunnel-connector-v2-e2e/connector-file-local-e2e" r="$tmp/root"
  while read -r src dst; do
    [ -f "$d/$src" ] || continue
    mkdir -p "$(dirname "$r/$dst")" && cp "$d/$src" "$r/$dst"
  done <<'LIST'
json/e2e.json seatunnel/read/json/name=tyrantlucifer/hobby=coding/e2e.json
json/e2e_gbk.json seatunnel/read/encoding/json/e2e_gbk.json
text/e2e.txt seatunnel/read/text/name=tyrantlucifer/hobby=coding/e2e.txt
text/e2e_gbk.txt seatunnel/read/encoding/text/e2e_gbk.txt
text/e2e_delimiter.txt seatunnel/read/text_delimiter/e2e.txt
text/e2e_time_format.txt seatunnel/read/text_time_format/e2e.txt
xml/e2e.xml seatunnel/read/xml/e2e.xml
excel/e2e.xlsx seatunnel/read/excel/name=tyrantlucifer/hobby=coding/e2e.xlsx
excel/e2e.xls seatunnel/read/excel/name=tyrantlucifer/hobby=coding/e2e.xls
excel/e2e.xlsx seatunnel/read/excel_filter/name=tyrantlucifer/hobby=coding/e2e_filter.xlsx
orc/e2e.orc seatunnel/read/orc/name=tyrantlucifer/hobby=coding/e2e.orc
orc/orc_for_cast.orc seatunnel/read/orc_cast/e2e.orc
parquet/e2e.parquet seatunnel/read/parquet/name=tyrantlucifer/hobby=coding/e2e.parquet
binary/cat.png seatunnel/read/binary/cat.png
LIST
  mkdir -p "$r/tmp/fake_empty"
}

# Jobs that read what another job wrote: the IT runs the writer first.
prereq() {
  case "$1" in
    */checkpoint-batch-disable-test-resources/sink_file_text_to_assert.conf)
      echo "$(dirname "$1")/batch_fakesource_to_localfile_checkpoint_disable.conf" ;;
  esac
}

rewrite() { # rewrite SRC DST: container paths move under the scratch root
  sed -e "s#\"/tmp/#\"$tmp/root/tmp/#g" -e "s#\"/seatunnel/#\"$tmp/root/seatunnel/#g" \
      -e "s#= */tmp/#= \"$tmp/root/tmp/#g" "$1" > "$2"
}

# Variables the SeaTunnel ITs pass with -i (UserVariableIT).
job_args() {
  case "$1" in
    */fake_to_console.variables.conf)
      echo "-i resName=a20241023 -i rowNum=10 -i strTemplate=[abc,def] -i nameType=string -i nameVal=abc -i sourceTableName=sql" ;;
    */fake_to_console_with_default_value.variables.conf)
      echo "-i strTemplate=[abc,def] -i ageType=int -i nameVal=abc -i sourceTableName=sql" ;;
    */cluster_batch_fake_to_localfile_template.conf) # ClusterFaultToleranceIT
      echo "-i dynamic_job_mode=BATCH -i dynamic_test_row_num_per_parallelism=1000 -i dynamic_test_parallelism=6 -i dynamic_test_case_name=conformance" ;;
    */batch_fakesource_to_file_header.conf) # TextHeaderIT
      echo "-i file_format_type=csv -i enable_header_write=true" ;;
  esac
}

# Jobs the SeaTunnel ITs expect to fail (by name, and those their IT asserts).
expect_failure() {
  case "$(basename "$1")" in
    json_path_with_error_handle_way.conf) return 1 ;; # TestJsonPathTransformIT expects exit 0
    *error*|*exception*|*fail*|*not_match*|*slot_not_enough*) return 0 ;;
  esac
  return 1
}

pass=0; fail=0; skip=0; regress=0; nlenient=0; fixed=()
declare -A skip_reasons
while IFS= read -r f; do
  rel=${f#"$corpus/jobs/"}
  [ -n "$filter" ] && [[ "$rel" != *"$filter"* ]] && continue
  job="$tmp/job.conf"
  # every job starts from freshly staged data, like a new IT container
  rm -rf "$tmp/root"; stage
  rewrite "$f" "$job"
  pre=$(prereq "$f")
  if [ -n "$pre" ]; then
    rewrite "$pre" "$tmp/pre.conf"
    (cd "$tmp" && timeout 120 "$bin" run --no-progress -c "$tmp/pre.conf" >/dev/null 2>&1) ||
      echo "note: prerequisite $(basename "$pre") of $rel failed"
  fi
  read -r -a args <<< "$(job_args "$f")"
  "$bin" check --json -c "$job" "${args[@]}" > "$tmp/check" 2>/dev/null
  if grep -q '"ok":false' "$tmp/check"; then
    name=$(sed -n 's/.*"message":"unknown \([a-z]*\) plugin \\"\([^\\]*\)\\".*/\2 (\1)/p' "$tmp/check")
    # formats and codecs culvert does not have yet are skips, not failures
    if grep -q '"code":"EUNSUPPORTED"' "$tmp/check"; then
      why=$(sed -n 's/.*"message":"\([^"]*\)".*/\1/p' "$tmp/check" | sed 's/ by culvert.*//; s/ (.*//')
      skip=$((skip + 1)); skip_reasons["$why"]=$(( ${skip_reasons["$why"]:-0} + 1 ))
      continue
    fi
    case "$name" in
      ?*)
        skip=$((skip + 1)); skip_reasons["plugin $name not implemented"]=$(( ${skip_reasons["plugin $name not implemented"]:-0} + 1 ))
        continue ;;
    esac
  fi
  # culvert rejects unknown options (typos SeaTunnel silently ignores); such
  # a job is run again with --lenient and counted separately
  lenient=()
  if grep -q '"ok":false' "$tmp/check" && grep -q '"message":"unknown option' "$tmp/check"; then
    lenient=(--lenient); nlenient=$((nlenient + 1))
    echo "lenient: $rel: $(sed -n 's/.*"message":"\(unknown option [^;]*\);.*/\1/p' "$tmp/check" | sed 's/\\"/"/g')"
  fi
  args+=("${lenient[@]}")
  # with the typos forgiven, a missing format or codec is still a skip
  if [ ${#lenient[@]} -gt 0 ]; then
    "$bin" check --json -c "$job" "${args[@]}" > "$tmp/check" 2>/dev/null
    if grep -q '"ok":false' "$tmp/check" && grep -q '"code":"EUNSUPPORTED"' "$tmp/check"; then
      why=$(sed -n 's/.*"message":"\([^"]*\)".*/\1/p' "$tmp/check" | sed 's/ by culvert.*//; s/ (.*//')
      skip=$((skip + 1)); skip_reasons["$why"]=$(( ${skip_reasons["$why"]:-0} + 1 ))
      nlenient=$((nlenient - 1))
      continue
    fi
  fi
  mode=STREAMING; grep -qiE 'job\.mode *= *"?BATCH' "$f" && mode=BATCH
  if [ "$mode" = STREAMING ]; then
    (cd "$tmp" && timeout --foreground --preserve-status -s INT 5 "$bin" run --no-progress -c "$job" "${args[@]}" >"$tmp/out" 2>"$tmp/err"); code=$?
    # a streaming job runs until stopped: stopping it cleanly is success
    grep -q "the job was cancelled" "$tmp/err" && [ "$code" = 1 ] && code=0
  else
    (cd "$tmp" && timeout 120 "$bin" run --no-progress -c "$job" "${args[@]}" >"$tmp/out" 2>"$tmp/err"); code=$?
  fi
  ok=0
  if expect_failure "$f"; then [ "$code" = 1 ] || [ "$code" = 2 ] && ok=1; else [ "$code" = 0 ] && ok=1; fi
  grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$tmp/err" && ok=0
  listed=0; grep -qxF "$rel" <(sed 's/ *#.*//' "$known" 2>/dev/null) && listed=1
  if [ $ok = 1 ]; then
    pass=$((pass + 1))
    [ $listed = 1 ] && fixed+=("$rel")
  else
    fail=$((fail + 1))
    if [ $listed = 0 ]; then
      regress=$((regress + 1))
      echo "FAIL $rel (exit $code)"
      grep -E "error|ERROR" "$tmp/err" | head -5 | sed 's/^/    | /'
    fi
  fi
done < <(find "$corpus/jobs" -name '*.conf' | sort)
if [ ${#skip_reasons[@]} -gt 0 ]; then
  echo "skipped:"
  for r in "${!skip_reasons[@]}"; do echo "  ${skip_reasons[$r]} × $r"; done | sort -rn
fi
for r in "${fixed[@]}"; do echo "now passing (remove from expected-failures.txt): $r"; done
echo "conformance: $pass passed ($nlenient of them need --lenient), $fail failed ($((fail - regress)) known, $regress new), $skip skipped"
[ $regress -eq 0 ]
