#!/usr/bin/env bash
# run.sh — the Jdbc connector against real PostgreSQL and MariaDB servers
# (scripts/services.sh; make test starts them). Loads fixtures/*.sql, then
# runs every jobs/*.conf in order; directives in a job's leading comments
# say what must hold afterwards:
#   # expect-exit: N                 exit code (default 0)
#   # expect-stderr: TEXT            stderr contains TEXT (repeatable)
#   # expect-stdout: TEXT            stdout contains TEXT (repeatable)
#   # before-pg: SQL / before-my: SQL   run first (repeatable, in order)
#   # before-sh: COMMAND             run first, with lib.sh's functions
#   # env: NAME=VALUE                environment for the run ($VARS expanded)
#   # args: ARGS                     more arguments for `culvert run`
#   # job: PATH                      run that job file (relative to jobs/)
#                                    instead of this one, e.g. an example
#   # same: DB:T DB:T [portable] [-COL…]  equal row count and checksum of
#                                    all columns (but -COLs), computed in
#                                    SQL on each side (lib.sh); DB is pg
#                                    or my
#   # agg: pg:T lite:TABLE           equal per-column aggregates (SQLite
#                                    has no md5); the SQLite file is
#                                    $CULVERT_TEST_TMP/out.db
#   # rows: DB:T N                   the table has N rows
#   # sql-pg: SQL => TEXT / sql-my: SQL => TEXT   the query prints TEXT
#   # sql-lite: FILE SQL => TEXT     the same on SQLite file FILE (relative
#                                    to $CULVERT_TEST_TMP)
#   # count: TERM…                   the summary's Total Write Count (what the
#                                    targets acknowledged) is the sum of the
#                                    TERMs: pg:T / my:T / lite:FILE:T add the
#                                    table's count(*) after the job, a number
#                                    adds itself (e.g. -2 for rows a table had
#                                    before, or the rows an upsert/delete job
#                                    is expected to write). Every job that ends
#                                    0 and generates sink SQL must have one; a
#                                    failed job is checked when it prints a
#                                    summary (or --json statistics).
# Then the scripted cases at the end: connection killed mid-copy, culvert
# killed with -9 under exactly-once, prepared transactions left behind.
# Usage: run.sh CULVERT [FILTER]
set -uo pipefail
bin=$(readlink -f "$1"); filter=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
for v in CULVERT_PG_URL CULVERT_MYSQL_URL CULVERT_DB_USER; do
  [ -n "${!v:-}" ] || { echo "db: $v is not set (scripts/services.sh start DIR, then . DIR/env)"; exit 1; }
done
. "$here/lib.sh"
tmp=$(mktemp -d); [ -n "${KEEP_TMP:-}" ] && echo "db: keeping $tmp" || trap 'rm -rf "$tmp"' EXIT
export CULVERT_TEST_TMP=$tmp
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
pass=0; fail=0; cur=""

ok() { pass=$((pass + 1)); }
bad() {
  fail=$((fail + 1)); echo "FAIL $cur: $1"
  [ -f "$tmp/err" ] && grep -v " INFO  " "$tmp/err" | tail -10 | sed 's/^/    | /'
}

PGPASSWORD=$CULVERT_DB_PASSWORD psql -h "$CULVERT_PG_HOST" -p "$CULVERT_PG_PORT" -U "$CULVERT_DB_USER" -d culvert \
  -q -v ON_ERROR_STOP=1 -f "$here/fixtures/pg.sql" >/dev/null 2>"$tmp/fx" || { cat "$tmp/fx"; exit 1; }
mariadb --no-defaults --default-character-set=utf8mb4 -h"$CULVERT_MYSQL_HOST" -P"$CULVERT_MYSQL_PORT" \
  -u"$CULVERT_DB_USER" -p"$CULVERT_DB_PASSWORD" < "$here/fixtures/mysql.sql" 2>"$tmp/fx" || { cat "$tmp/fx"; exit 1; }

side() { # side DB:T → runs checksum / rows on the right database
  local db=${1%%:*} t=${1#*:}
  case "$db" in pg|my) echo "$db" "$t" ;; *) echo "bad side $1" >&2; return 1 ;; esac
}

# run_job FILE: run the job with its directives; 0 when all held
run_job() {
  local f=$1 rel=${1#"$here"/}
  cur=$rel
  local expect_exit=0 errs=() outs=() checks=() envs=() line job=$f count="" args=()
  while IFS= read -r line; do
    case "$line" in
      "# expect-exit: "*) expect_exit=${line#\# expect-exit: } ;;
      "# expect-stderr: "*) errs+=("${line#\# expect-stderr: }") ;;
      "# expect-stdout: "*) outs+=("${line#\# expect-stdout: }") ;;
      "# before-pg: "*) pg "${line#\# before-pg: }" >/dev/null || { bad "before-pg failed"; return; } ;;
      "# before-my: "*) my "${line#\# before-my: }" >/dev/null || { bad "before-my failed"; return; } ;;
      "# before-sh: "*) eval "${line#\# before-sh: }" >/dev/null || { bad "before-sh failed"; return; } ;;
      "# job: "*) job=$here/jobs/${line#\# job: } ;;
      "# env: "*) envs+=("$(eval echo "${line#\# env: }")") ;;
      "# count: "*) count=${line#\# count: } ;;
      "# args: "*) read -ra args <<< "${line#\# args: }" ;;
      "# same: "*|"# agg: "*|"# rows: "*|"# sql-pg: "*|"# sql-my: "*|"# sql-lite: "*) checks+=("${line#\# }") ;;
    esac
  done < <(grep '^# ' "$f")
  (cd "$here/jobs" && env "${envs[@]}" timeout 300 "$bin" run --no-progress "${args[@]}" -c "$job" >"$tmp/out" 2>"$tmp/err")
  local code=$? why=""
  [ "$code" != "$expect_exit" ] && why="exit $code, expected $expect_exit"
  for e in "${errs[@]}"; do grep -qF -- "$e" "$tmp/err" || why="${why:+$why; }stderr lacks: $e"; done
  for o in "${outs[@]}"; do grep -qF -- "$o" "$tmp/out" || why="${why:+$why; }stdout lacks: $o"; done
  grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$tmp/err" && why="${why:+$why; }sanitizer report"
  # the servers' password is in most of these jobs: it never reaches any output
  grep -qF -- "$CULVERT_DB_PASSWORD" "$tmp/out" "$tmp/err" && why="${why:+$why; }output shows the database password"
  for c in "${checks[@]}"; do
    local kind=${c%%:*} arg=${c#*: } a b
    case "$kind" in
      same)
        read -r x y rest <<< "$arg"
        # shellcheck disable=SC2086
        a=$(checksum $(side "$x") $rest 2>&1); b=$(checksum $(side "$y") $rest 2>&1)
        # shellcheck disable=SC2086
        [ "$a" = "$b" ] || why="${why:+$why; }checksums differ: $x $a, $y $b (columns: $(coldiff "$x" "$y" $rest))" ;;
      agg)
        read -r x y <<< "$arg"
        a=$(aggsum pg "${x#pg:}" 2>&1); b=$(aggsum lite "$tmp/out.db:${y#lite:}" 2>&1)
        [ "$a" = "$b" ] || why="${why:+$why; }aggregates differ: $x $a, $y $b" ;;
      rows)
        read -r x n <<< "$arg"
        set -- $(side "$x")
        if [ "$1" = pg ]; then a=$(pg "SELECT count(*) FROM $2" 2>&1); else a=$(my "SELECT count(*) FROM $2" 2>&1); fi
        [ "$a" = "$n" ] || why="${why:+$why; }$x has $a rows, expected $n" ;;
      sql-pg|sql-my|sql-lite)
        local q=${arg%% => *} want=${arg#* => }
        case "$kind" in
          sql-pg) a=$(pg "$q" 2>&1 | tr '\n' ' ') ;;
          sql-my) a=$(my "$q" 2>&1 | tr '\n' ' ') ;;
          *) a=$(lite "$tmp/${q%% *}" "${q#* }" 2>&1 | tr '\n' ' ') ;;
        esac
        a=${a% }
        [ "$a" = "$want" ] || why="${why:+$why; }$q printed \"$a\", expected \"$want\"" ;;
    esac
  done
  # the Write Count is what the targets hold (issue 9: counts are acknowledged)
  local wc; wc=$(sed -n -e 's/^Total Write Count *: *//p' -e 's/^{"status".*"write_rows":\([0-9]*\),.*/\1/p' "$tmp/out")
  if [ -n "$count" ] && [ -n "$wc" ]; then
    local want=0 term v
    for term in $count; do
      case "$term" in
        pg:*) v=$(pg "SELECT count(*) FROM ${term#pg:}" 2>&1) ;;
        my:*) v=$(my "SELECT count(*) FROM ${term#my:}" 2>&1) ;;
        lite:*) v=${term#lite:}; v=$(lite "$tmp/${v%%:*}" "SELECT count(*) FROM ${v#*:}" 2>&1) ;;
        *) v=$term ;;
      esac
      [[ "$v" =~ ^-?[0-9]+$ ]] || { why="${why:+$why; }count: $term: $v"; continue; }
      want=$((want + v))
    done
    [ "$wc" = "$want" ] || why="${why:+$why; }Total Write Count is $wc, expected $want ($count)"
  elif [ -n "$count" ] && [ "$code" = 0 ]; then
    why="${why:+$why; }no Total Write Count in the summary"
  elif [ "$code" = 0 ] && grep -q generate_sink_sql "$job"; then
    why="${why:+$why; }the job writes tables but has no count: directive"
  fi
  if [ -z "$why" ]; then ok; else bad "$why"; fi
}

while IFS= read -r f; do
  [ -n "$filter" ] && [[ "${f#"$here"/}" != *"$filter"* ]] && continue
  run_job "$f"
done < <(find "$here/jobs" -name '*.conf' | sort)

[ -z "$filter" ] || [[ "scripted" == *"$filter"* ]] && . "$here/scripted.sh"

echo "db: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
