#!/usr/bin/env bash
# trust.sh — secrets never reach any output, and the engine's give-up
# message keeps the reason. Every output (stdout and stderr, text and
# --json, check, plan, run, -v debug logs) of failing and succeeding jobs is
# searched for the secrets; a secret found anywhere fails the test.
# Usage: trust.sh CULVERT
set -uo pipefail
bin=$(readlink -f "$1")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; [ -n "${lockpid:-}" ] && kill "$lockpid" 2>/dev/null' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $cur: $1"; sed 's/^/    | /' "$tmp/all" | tail -8; }

# every secret a job below carries; none may appear in any output
secrets=(TopSecret77 UrlSecret99 PropSecret55 VarSecret33 EnvSecret44 DefaultSecret22 TypoSecret66 KafkaJaas11 ColonSecret88)

# run NAME EXIT ARGS...: run culvert, collect every output, check the exit code and that no secret shows
run() {
  cur=$1; local want=$2; shift 2
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; local code=$?
  cat "$tmp/out" "$tmp/err" >"$tmp/all"
  if [ "$code" != "$want" ]; then bad "exit $code, expected $want"; return; fi
  if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$tmp/err"; then bad "sanitizer report"; return; fi
  local s
  for s in "${secrets[@]}"; do
    if grep -qF "$s" "$tmp/all"; then bad "output shows the secret $s"; return; fi
  done
  ok
}
has() { if grep -qF -- "$1" "$tmp/all"; then ok; else bad "output lacks: $1"; fi; }

# a whole Jdbc block on one line: every error excerpt shows that line
cat >"$tmp/oneline.conf" <<'EOF'
env { job.mode = "BATCH" }
source { FakeSource { row.num = 3, schema { fields { id = int } } } }
sink { Jdbc { url = "jdbc:postgresql://127.0.0.1:1/db?sslmode=disable&password=UrlSecret99", driver = "org.postgresql.Driver", user = "u", password = "TopSecret77", properties { password = "PropSecret55" }, database = "db", table = "t", generate_sink_sql = true } }
EOF
for mode in "" --json; do
  run "unreachable${mode}" 1 run -c "$tmp/oneline.conf" $mode
  has "Connection refused"
  run "unreachable_verbose${mode}" 1 run -c "$tmp/oneline.conf" -v $mode
  run "check${mode}" 0 check "$tmp/oneline.conf" $mode
  run "plan${mode}" 0 plan "$tmp/oneline.conf" $mode
done
run unreachable_excerpt 1 run -c "$tmp/oneline.conf"
has 'password = "******"'

# an unknown option, a bad value and a syntax error on the secret's line
sed 's/generate_sink_sql = true/generate_sink_sql = true, bogus = 1/' "$tmp/oneline.conf" >"$tmp/unknown.conf"
run unknown_option 2 run -c "$tmp/unknown.conf"; has 'unknown option "bogus"'
run unknown_option_json 2 check "$tmp/unknown.conf" --json
sed 's/generate_sink_sql = true/generate_sink_sql = maybe/' "$tmp/oneline.conf" >"$tmp/badvalue.conf"
run bad_value 2 check "$tmp/badvalue.conf"
sed 's/table = "t",/table = "t" = /' "$tmp/oneline.conf" >"$tmp/syntax.conf"
run syntax_error 2 check "$tmp/syntax.conf"
# a misspelt key still hides its value; HOCON's key: value form too
sed 's/password = "TopSecret77"/pasword = "TypoSecret66"/' "$tmp/oneline.conf" >"$tmp/typo.conf"
run typo_key 2 check "$tmp/typo.conf"; has 'unknown option "pasword"'
sed 's/password = "TopSecret77"/password: "ColonSecret88", bogus: 2/' "$tmp/oneline.conf" >"$tmp/colon.conf"
run colon_key 2 check "$tmp/colon.conf"

# secrets from -i, the environment and a ${var:default}
cat >"$tmp/vars.conf" <<'EOF'
env { job.mode = "BATCH" }
source { FakeSource { row.num = 3, schema { fields { id = int } } } }
sink { Jdbc { url = "jdbc:mysql://127.0.0.1:1/db", user = "u", password = ${DB_PASSWORD}, properties = { token = "${API_TOKEN:DefaultSecret22}" }, table = "t", generate_sink_sql = true } }
EOF
run var_password 1 run -c "$tmp/vars.conf" -i DB_PASSWORD=VarSecret33 -v
DB_PASSWORD=EnvSecret44 run env_password 1 run -c "$tmp/vars.conf" --json -v
# an error that names the variable's own value
run var_in_error 1 run -c "$tmp/vars.conf" -i DB_PASSWORD=VarSecret33 -i "API_TOKEN=KafkaJaas11"

# a job that succeeds: SQLite ignores the password, the Console prints rows
cat >"$tmp/good.conf" <<'EOF'
env { job.mode = "BATCH" }
source { FakeSource { row.num = 3, schema { fields { id = int, name = string } } } }
sink {
  Jdbc { url = "jdbc:sqlite:${DIR}/good.db", user = "u", password = "TopSecret77", table = "t", generate_sink_sql = true }
  Console { }
}
EOF
run succeeds 0 run -c "$tmp/good.conf" -i DIR="$tmp" -v
has "Total Write Count         :                   6"
run succeeds_json 0 run -c "$tmp/good.conf" -i DIR="$tmp" --json
run succeeds_check 0 check "$tmp/good.conf" -i DIR="$tmp" --json

# the engine gives up on a transient failure with the plugin's reason and
# the number of retries (max_retries is the Jdbc sink's option): a SQLite
# database another connection holds a write lock on
if command -v sqlite3 >/dev/null; then
  sqlite3 "$tmp/locked.db" "CREATE TABLE t (id INTEGER)"
  (echo "BEGIN IMMEDIATE;"; sleep 60) | sqlite3 "$tmp/locked.db" & lockpid=$!
  sleep 0.5
  cat >"$tmp/locked.conf" <<'EOF'
env { job.mode = "BATCH" }
source { FakeSource { row.num = 3, schema { fields { id = int } } } }
sink { Jdbc { url = "jdbc:sqlite:${DIR}/locked.db", table = "t", generate_sink_sql = true, max_retries = 2, properties { busy_timeout = 20 } } }
EOF
  run locked 1 run -c "$tmp/locked.conf" -i DIR="$tmp"
  has "locked"
  has "(still failing after 2 retries)"
  has "attempt 2 of 2"
  kill "$lockpid" 2>/dev/null; wait "$lockpid" 2>/dev/null; lockpid=
  # locked while the plan opens (reading the table): the job failed (1), the file is fine (not 2)
  (echo "BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);"; sleep 60) | sqlite3 "$tmp/locked.db" & lockpid=$!
  sleep 0.5
  run locked_at_open 1 run -c "$tmp/locked.conf" -i DIR="$tmp"
  has "database is locked"
  kill "$lockpid" 2>/dev/null; wait "$lockpid" 2>/dev/null; lockpid=
else
  echo "FAIL locked: sqlite3 is not installed (scripts/bootstrap.sh test)"; fail=$((fail + 1))
fi

echo "trust: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
