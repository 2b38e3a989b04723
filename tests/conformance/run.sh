#!/usr/bin/env bash
# run.sh — runs SeaTunnel's own end-to-end job files (the conformance
# corpus in ../shared/conformance) and reports how each one ended:
#
#   passed with checks      the job ended as its IT expects AND something
#                           looked at what it published: its Assert sink's
#                           rules, or this runner reading the LocalFile
#                           sink's files / the Console sink's rows back and
#                           counting them (checks.txt), as SeaTunnel's ITs do
#   passed on exit code     the job ended as its IT expects and nothing more
#     only                  is known (listed by name, so the list can shrink)
#   failed                  anything else, including: a BATCH job that had to
#                           be cancelled or timed out; a job whose Assert
#                           rules only pass because --lenient dropped a typo
#                           that switches them off (SeaTunnel ignores unknown
#                           keys, so `rule_ruls` checks nothing there either);
#                           an unknown plugin that SeaTunnel does not have
#                           either (seatunnel-plugins.txt); a job its IT
#                           expects to fail that fails for another reason
#   skipped                 needs what culvert does not have yet: a format,
#                           codec or SeaTunnel plugin, or STREAMING mode
#                           (a streaming job would have to be stopped, and
#                           what it published checked; until then none passes)
#
# The job's mode and plugins come from `culvert check --json` after the
# variables are substituted, never from the job text. Jobs SeaTunnel's ITs
# expect to fail, and known failures, are listed in expected-failures.txt;
# only a failure not listed there (a regression) fails the suite, and a
# listed job that now passes is reported so the list can shrink.
# Usage: run.sh CULVERT [FILTER]
# Environment: CV_CONFORMANCE_DIR (the corpus), CV_CONFORMANCE_EXPECT and
# CV_CONFORMANCE_CHECKS (the two lists), CV_CONFORMANCE_TIMEOUT (seconds a
# job may run, 120).
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
command -v jq >/dev/null || { echo "conformance: needs jq (scripts/bootstrap.sh test)"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# the lists can be swapped for others (selftest.sh tests this runner)
known=${CV_CONFORMANCE_EXPECT:-$here/expected-failures.txt}
checks=${CV_CONFORMANCE_CHECKS:-$here/checks.txt}
limit=${CV_CONFORMANCE_TIMEOUT:-120}
plugins="$here/seatunnel-plugins.txt"

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

# expected-failures.txt, one job a line (comments after " # "):
#   fail PATH ERE   SeaTunnel's IT expects PATH to fail; culvert must fail
#                   it too, with an error matching ERE (the IT's reason)
#   pass PATH       named like a failing job, but its IT expects success
#   known PATH      fails today (the comment says why); not a regression
listed() { # listed KIND REL → prints the rest of its line; fails when absent
  awk -v k="$1" -v p="$2" '{ sub(/ # .*/, "") } $1 == k && $2 == p {
      sub(/^[^ ]+ +[^ ]+ */, ""); sub(/ +$/, ""); print; f = 1 } END { exit !f }' "$known"
}
is_listed() { listed "$1" "$2" >/dev/null; }
# a job named like a failure must be classified in expected-failures.txt
looks_failing() { case "$(basename "$1")" in *error*|*exception*|*fail*|*not_match*|*slot_not_enough*) return 0 ;; esac; return 1; }

is_seatunnel_plugin() { # KIND NAME
  awk -v k="$1" -v n="$2" 'BEGIN { n = tolower(n) } $1 == k && tolower($2) == n { f = 1 } END { exit !f }' "$plugins"
}

# Checks of what a job published (checks.txt), in container paths; N is a
# number or a range MIN..MAX (for jobs that pick random values):
#   PATH again              run the job twice before checking (save modes)
#   PATH written N          the summary's Total Write Count is N
#   PATH console N [TABLE]  the Console sink printed N rows (of table TABLE)
#   PATH each ERE           every row the Console sink printed matches ERE
#   PATH files DIR N [files=F] [skip=K] [format=json] [header=TEXT] [encoding=E]
#                           the F regular files under DIR hold N lines (K
#                           header lines per file not counted); with
#                           format=json every line is a JSON object; with
#                           header=TEXT every file's first line is TEXT;
#                           encoding=E: the files are in charset E
in_range() { # in_range VALUE N|MIN..MAX
  case "$2" in
    *..*) [ "$1" -ge "${2%..*}" ] && [ "$1" -le "${2#*..}" ] ;;
    *) [ "$1" = "$2" ] ;;
  esac
}
job_checks() { sed 's/ # .*//; /^#/d; /^ *$/d' "$checks" | awk -v p="$1" '$1 == p'; }
# Prints what went wrong; returns 1 when a check failed, 2 when none exists.
verify() {
  local rel=$1 n=0 bad=0 kind a b c line w
  while IFS= read -r line; do
    read -r -a w <<< "$line"
    kind=${w[1]}; a=${w[2]:-}; b=${w[3]:-}
    [ "$kind" = again ] && continue
    n=$((n + 1))
    case "$kind" in
      written)
        c=$(jq -r '.write_rows // empty' "$tmp/out" 2>/dev/null)
        in_range "${c:-0}" "$a" || { echo "the summary says ${c:-no} rows written, expected $a"; bad=1; } ;;
      console)
        c=$(grep -c "SeaTunnelRow#tableId=${b:-[^ ]*} SeaTunnelRow#kind=" "$tmp/err")
        in_range "$c" "$a" || { echo "Console printed $c rows${b:+ of $b}, expected $a"; bad=1; } ;;
      each)
        c=$(sed -n 's/.*SeaTunnelRow#tableId=[^ ]* SeaTunnelRow#kind=[A-Z_]* : //p' "$tmp/err" | grep -cvE -- "${line#*" each "}")
        [ "$c" = 0 ] || { echo "$c Console rows do not match /${line#*" each "}/"; bad=1; } ;;
      files)
        local dir="$tmp/root$a" nfiles="" skip=0 fmt="" hdr="" enc="" opt
        for opt in "${w[@]:4}"; do
          case "$opt" in
            files=*) nfiles=${opt#files=} ;; skip=*) skip=${opt#skip=} ;; format=*) fmt=${opt#format=} ;;
            header=*) hdr=${opt#header=} ;; encoding=*) enc=${opt#encoding=} ;;
          esac
        done
        if [ ! -d "$dir" ]; then echo "no directory $a was written"; bad=1; continue; fi
        local total=0 nf=0 f lines
        while IFS= read -r -d '' f; do
          nf=$((nf + 1))
          if [ -n "$enc" ]; then
            iconv -f "$enc" -t UTF-8 "$f" > "$tmp/file" || { echo "${f#"$tmp/root"}: not valid $enc"; bad=1; }
          else
            cp "$f" "$tmp/file"
          fi
          lines=$(grep -c '' "$tmp/file")
          total=$((total + lines - (lines < skip ? lines : skip)))
          if [ -n "$hdr" ] && [ "$(head -n 1 "$tmp/file")" != "$hdr" ]; then
            echo "${f#"$tmp/root"}: the first line is not the header $hdr"; bad=1
          fi
          if [ "$fmt" = json ] && ! jq -e 'type == "object"' "$tmp/file" >/dev/null 2>&1; then
            echo "${f#"$tmp/root"}: a line is not a JSON object"; bad=1
          fi
        done < <(find "$dir" -type f ! -name '.*' -print0)
        in_range "$total" "$b" || { echo "$nf files under $a hold $total rows, expected $b"; bad=1; }
        [ -z "$nfiles" ] || in_range "$nf" "$nfiles" || { echo "$nf files under $a, expected $nfiles"; bad=1; } ;;
      *) echo "checks.txt: unknown check '$kind'"; bad=1 ;;
    esac
  done < <(job_checks "$rel")
  [ $n -eq 0 ] && return 2
  return $bad
}

pass_checked=0; pass_exit=0; fail=0; skip=0; regress=0; nlenient=0
fixed=(); exit_only=()
declare -A skip_reasons
skipped() { skip=$((skip + 1)); skip_reasons["$1"]=$(( ${skip_reasons["$1"]:-0} + 1 )); }
failed() { # failed REL WHY...: a failure; a regression unless listed as known
  fail=$((fail + 1))
  if ! is_listed known "$1"; then
    regress=$((regress + 1))
    echo "FAIL $1: $2"
    [ -s "$tmp/err" ] && grep -E "ERROR|error:|runtime error" "$tmp/err" | head -5 | sed 's/^/    | /'
  fi
}

while IFS= read -r f; do
  rel=${f#"$corpus/jobs/"}
  [ -n "$filter" ] && [[ "$rel" != *"$filter"* ]] && continue
  : > "$tmp/err"; : > "$tmp/out"
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
  expect_re=$(listed fail "$rel"); expect_fail=$?
  if [ $expect_fail -ne 0 ] && looks_failing "$f" && ! is_listed pass "$rel"; then
    failed "$rel" "named like a job SeaTunnel expects to fail: classify it in expected-failures.txt (fail or pass)"
    continue
  fi

  # what the job is, once its variables are substituted
  "$bin" check --json -c "$job" "${args[@]}" > "$tmp/check" 2>/dev/null
  if [ "$(jq -r .ok "$tmp/check" 2>/dev/null)" = false ] &&
     jq -r '.errors[0].message' "$tmp/check" | grep -q '^unknown option '; then
    # culvert rejects unknown options (typos SeaTunnel silently ignores);
    # such a job is checked again with --lenient, and what was dropped noted
    args+=(--lenient)
    "$bin" check --json -c "$job" "${args[@]}" > "$tmp/check" 2>"$tmp/lenient"
  else
    : > "$tmp/lenient"
  fi
  ok=$(jq -r '.ok' "$tmp/check" 2>/dev/null)
  code=$(jq -r '.errors[0].code // empty' "$tmp/check" 2>/dev/null)
  msg=$(jq -r '.errors[0].message // empty' "$tmp/check" 2>/dev/null)
  if [ "$ok" = false ] && [ "$code" = EUNSUPPORTED ]; then
    # formats and codecs culvert does not have yet
    skipped "$(echo "$msg" | sed 's/ by culvert.*//; s/ (.*//')"
    continue
  fi
  if [ "$ok" = false ] && [[ "$msg" =~ ^unknown\ (source|transform|sink)\ plugin\ \"([^\"]*)\" ]]; then
    kind=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]}
    if is_seatunnel_plugin "$kind" "$name"; then
      skipped "$kind plugin $name not implemented"
    else
      failed "$rel" "unknown $kind plugin $name, which SeaTunnel does not have either"
    fi
    continue
  fi
  mode=$(jq -r '.plan.mode // empty' "$tmp/check" 2>/dev/null)
  if [ "$mode" = STREAMING ]; then
    skipped "STREAMING not supported yet"
    continue
  fi
  # (a check that failed for another reason: the run fails the same way)
  dropped=$(sed -n 's/.*: \(unknown option "[^"]*" for [^;]*\);.*(ignored: --lenient)$/\1/p' "$tmp/lenient")
  [ -n "$dropped" ] && echo "lenient: $rel: $(echo "$dropped" | paste -sd';')"

  # SeaTunnel ignores a misspelt Assert key, so the rules under it check
  # nothing there; culvert cannot check them either: never a pass
  if [ $expect_fail -ne 0 ] && echo "$dropped" | grep -q ' for Assert'; then
    failed "$rel" "passes only because --lenient dropped a typo that switches its Assert rules off ($(echo "$dropped" | grep ' for Assert' | head -1))"
    continue
  fi
  runs=1; job_checks "$rel" | grep -q ' again$' && runs=2
  for _ in $(seq $runs); do
    (cd "$tmp" && timeout "$limit" "$bin" run --json --no-progress -c "$job" "${args[@]}" >"$tmp/out" 2>"$tmp/err"); rc=$?
    [ $rc = 0 ] || break
  done
  if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer)|runtime error:" "$tmp/err"; then
    failed "$rel" "sanitizer report (exit $rc)"
    continue
  fi
  if [ $rc = 124 ] || grep -q "the job was cancelled" "$tmp/err"; then
    failed "$rel" "a BATCH job that did not end by itself (exit $rc): cancelled or timed out"
    continue
  fi
  if [ $expect_fail -eq 0 ]; then
    if [ $rc = 1 ] || [ $rc = 2 ]; then
      # the reason is on stderr, or in the --json summary's error
      if cat "$tmp/err" "$tmp/out" | grep -qE -- "$expect_re"; then
        pass_checked=$((pass_checked + 1))  # the failure's reason is the check
        is_listed known "$rel" && fixed+=("$rel")
      else
        failed "$rel" "fails (exit $rc), but not for the reason its IT expects (/$expect_re/)"
      fi
    else
      failed "$rel" "its IT expects it to fail (/$expect_re/), culvert exits $rc"
    fi
    continue
  fi
  status=$(jq -r '.status // empty' "$tmp/out" 2>/dev/null)
  if [ $rc != 0 ] || [ "$status" != FINISHED ]; then
    failed "$rel" "exit $rc, status ${status:-none}"
    continue
  fi
  why=$(verify "$rel"); vrc=$?
  if [ $vrc = 1 ]; then
    failed "$rel" "what it published is wrong: $(echo "$why" | paste -sd';')"
    continue
  fi
  sinks=$(jq -r '[.plan.nodes[] | select(.kind == "sink") | .plugin] | join(" ")' "$tmp/check")
  if [ $vrc = 0 ] || [[ " $sinks " == *" Assert "* ]]; then
    pass_checked=$((pass_checked + 1))
  else
    pass_exit=$((pass_exit + 1)); exit_only+=("$rel ($sinks)")
  fi
  [ -n "$dropped" ] && nlenient=$((nlenient + 1))
  is_listed known "$rel" && fixed+=("$rel")
done < <(find "$corpus/jobs" -name '*.conf' | sort)
if [ ${#skip_reasons[@]} -gt 0 ]; then
  echo "skipped:"
  for r in "${!skip_reasons[@]}"; do echo "  ${skip_reasons[$r]} × $r"; done | sort -rn
fi
if [ ${#exit_only[@]} -gt 0 ]; then
  echo "passed on exit code only (nothing checked what they published):"
  printf '  %s\n' "${exit_only[@]}"
fi
for r in "${fixed[@]}"; do echo "now passing (remove from expected-failures.txt): $r"; done
echo "conformance: $((pass_checked + pass_exit)) passed ($pass_checked with checks, $pass_exit on exit code only; $nlenient need --lenient), $fail failed ($((fail - regress)) known, $regress new), $skip skipped"
[ $regress -eq 0 ]
