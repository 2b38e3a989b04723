#!/usr/bin/env bash
# run.sh — end-to-end tests: every tests/e2e/**/*.conf is a job. Directives
# in its leading comments say what must happen:
#   # expect-exit: N          exit code (default 0)
#   # expect-stderr: TEXT     stderr must contain TEXT (repeatable)
#   # expect-stdout: TEXT     stdout must contain TEXT (repeatable)
#   # args: ...               extra arguments for `culvert run` (after -c FILE)
#   # env: NAME=VALUE         environment for the run (repeatable)
#   # needs: VAR...           environment variables the job needs (e.g.
#                             CULVERT_PG_URL from scripts/services.sh); the
#                             job is skipped, and says so, when one is unset
#   # after: FILE...          jobs of the same folder this one reads the
#                             results of; they sort before it, and when a
#                             FILTER leaves them out they are run first
# Jobs share one scratch folder per run, $CULVERT_TEST_TMP, and run in
# sorted order. Any sanitizer report fails the test.
# Usage: run.sh CULVERT [FILTER]
set -uo pipefail
bin=$(readlink -f "$1"); filter=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0; skipped=0; failed=()
while IFS= read -r f; do
  rel=${f#"$here"/}
  [ -n "$filter" ] && [[ "$rel" != *"$filter"* ]] && continue
  expect_exit=0; args=(); envs=(); errs=(); outs=(); afters=(); needs=()
  while IFS= read -r line; do
    case "$line" in
      "# expect-exit: "*) expect_exit=${line#\# expect-exit: } ;;
      "# expect-stderr: "*) errs+=("${line#\# expect-stderr: }") ;;
      "# expect-stdout: "*) outs+=("${line#\# expect-stdout: }") ;;
      "# args: "*) eval "args+=(${line#\# args: })" ;;
      "# env: "*) envs+=("${line#\# env: }") ;;
      "# after: "*) read -r -a more <<< "${line#\# after: }"; afters+=("${more[@]}") ;;
      "# needs: "*) read -r -a more <<< "${line#\# needs: }"; needs+=("${more[@]}") ;;
    esac
  done < <(grep '^# ' "$f")
  for v in "${needs[@]}"; do
    if [ -z "${!v:-}" ]; then
      echo "SKIP $rel: $v is not set (scripts/services.sh start DIR, then . DIR/env)"
      skipped=$((skipped + 1)); continue 2
    fi
  done
  for a in "${afters[@]}"; do
    dep=$(dirname "$f")/$a
    [ -f "$dep" ] || { echo "FAIL $rel: after: no $a"; fail=$((fail + 1)); failed+=("$rel"); continue 2; }
    [ -n "$filter" ] && [[ "${dep#"$here"/}" != *"$filter"* ]] || continue
    (cd "$(dirname "$f")" && CULVERT_TEST_TMP="$tmp" timeout 120 "$bin" run --no-progress -c "$dep" >/dev/null 2>&1)
  done
  (cd "$(dirname "$f")" && env "${envs[@]}" CULVERT_TEST_TMP="$tmp" timeout 120 "$bin" run --no-progress -c "$f" "${args[@]}" \
      >"$tmp/out" 2>"$tmp/err")
  code=$?
  why=""
  [ "$code" != "$expect_exit" ] && why="exit $code, expected $expect_exit"
  for e in "${errs[@]}"; do grep -qF -- "$e" "$tmp/err" || why="${why:+$why; }stderr lacks: $e"; done
  for o in "${outs[@]}"; do grep -qF -- "$o" "$tmp/out" || why="${why:+$why; }stdout lacks: $o"; done
  if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer|runtime error:" "$tmp/err"; then why="${why:+$why; }sanitizer report"; fi
  if [ -z "$why" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); failed+=("$rel")
    echo "FAIL $rel: $why"
    sed 's/^/    | /' "$tmp/err" | grep -v " INFO  subtaskIndex" | tail -15
  fi
done < <(find "$here" -name '*.conf' | sort)
echo "e2e: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
