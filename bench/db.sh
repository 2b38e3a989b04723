#!/usr/bin/env bash
# db.sh — database benchmarks (issue 4), side by side in one run on the
# 1M-row `orders` table of the file benchmarks:
#   csv → PostgreSQL        culvert vs `psql \copy` vs pgloader
#   PostgreSQL → PostgreSQL culvert vs psql COPY TO STDOUT (binary) | psql COPY FROM STDIN (binary)
#   MariaDB → PostgreSQL    culvert vs mariadb --quick -N -B | psql COPY vs pgloader
# Every target is emptied before each run. Writes bench/results/db.md.
# Uses the servers of $CULVERT_SERVICES when set, else starts throwaway
# ones (scripts/services.sh) and stops them.
# Usage: bench/db.sh CULVERT
set -euo pipefail
bin=$(readlink -f "$1")
rows=${ROWS:-1000000}
runs=${RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=$here/results/db.md
work=$(mktemp -d "${TMPDIR:-/tmp}/culvert-dbbench-XXXXXX")
chmod 755 "$work"
cleanup() {
  [ -n "${own_services:-}" ] && "$top/scripts/services.sh" stop "$work/svc" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${CULVERT_PG_URL:-}" ]; then
  own_services=1
  "$top/scripts/services.sh" start "$work/svc" >/dev/null
  . "$work/svc/env"
fi
. "$top/tests/db/lib.sh"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pgurl="postgresql://$CULVERT_DB_USER:$CULVERT_DB_PASSWORD@$CULVERT_PG_HOST:$CULVERT_PG_PORT/culvert"
myurl="mysql://$CULVERT_DB_USER:$CULVERT_DB_PASSWORD@$CULVERT_MYSQL_HOST:$CULVERT_MYSQL_PORT/bench"
export PGPASSWORD=$CULVERT_DB_PASSWORD

# measure PREP CMD...: run PREP (emptying the target), then time CMD; the
# median wall seconds and peak RSS (KiB, the largest process of CMD) of $runs runs
measure() {
  local prep=$1; shift
  for _ in $(seq "$runs"); do
    eval "$prep" >/dev/null
    /usr/bin/time -f "%e %M" -o "$work/t" bash -c "$*" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/t"
  done > "$work/all"
  echo "$(awk '{print $1}' "$work/all" | median) $(awk '{print $2}' "$work/all" | median)"
}

echo "generating $rows orders rows..."
"$bin" run -q --no-progress -c "$here/jobs/orders_gen.conf" -i N="$rows" -i FILES=1 -i DIR="$work/csv" >/dev/null
csv=$work/csv/orders_0.csv
chmod -R a+rX "$work/csv"
cols="id bigint, customer_id integer, status text, amount numeric(12,2), created_at timestamp(6), note text, flag boolean, ratio double precision"
pg "DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench;
    CREATE TABLE bench.orders ($cols); CREATE TABLE bench.orders_copy ($cols);
    CREATE TABLE bench.from_my ($cols)" >/dev/null
pg "\\copy bench.orders FROM '$csv' WITH (FORMAT csv)" >/dev/null
pg "VACUUM ANALYZE bench.orders" >/dev/null
my "DROP DATABASE IF EXISTS bench; CREATE DATABASE bench;
    CREATE TABLE bench.orders (id bigint, customer_id int, status text, amount decimal(12,2), created_at datetime(6),
      note text, flag boolean, ratio double) CHARACTER SET utf8mb4" >/dev/null
mariadb --no-defaults --local-infile=1 -h"$CULVERT_MYSQL_HOST" -P"$CULVERT_MYSQL_PORT" -u"$CULVERT_DB_USER" \
  -p"$CULVERT_DB_PASSWORD" -e "LOAD DATA LOCAL INFILE '$csv' INTO TABLE bench.orders FIELDS TERMINATED BY ','
  OPTIONALLY ENCLOSED BY '\"' (id, customer_id, status, amount, created_at, note, @flag, ratio)
  SET flag = (@flag = 'true')"
bytes=$(wc -c < "$csv")
echo "loaded: PostgreSQL $(pg "SELECT count(*) FROM bench.orders") rows, MariaDB $(my "SELECT COUNT(*) FROM bench.orders") rows"

cat > "$work/csv_to_pg.conf" <<CONF
env { job.mode = "BATCH" }
source {
  LocalFile {
    path = "$work/csv"
    file_format_type = csv
    schema = { table = "orders", fields { id = bigint, customer_id = int, status = string, amount = "decimal(12, 2)",
               created_at = timestamp, note = string, flag = boolean, ratio = double } }
  }
}
sink {
  Jdbc {
    url = "\${CULVERT_PG_URL}", user = "\${CULVERT_DB_USER}", password = "\${CULVERT_DB_PASSWORD}"
    generate_sink_sql = true, table = "bench.orders_copy"
  }
}
CONF
cat > "$work/pg_to_pg.conf" <<CONF
env { job.mode = "BATCH", parallelism = \${P} }
source {
  Jdbc {
    url = "\${CULVERT_PG_URL}", user = "\${CULVERT_DB_USER}", password = "\${CULVERT_DB_PASSWORD}"
    table_path = "culvert.bench.orders", partition_column = "id", partition_num = \${P}
  }
}
sink {
  Jdbc {
    url = "\${CULVERT_PG_URL}", user = "\${CULVERT_DB_USER}", password = "\${CULVERT_DB_PASSWORD}"
    generate_sink_sql = true, table = "bench.orders_copy"
  }
}
CONF
cat > "$work/my_to_pg.conf" <<CONF
env { job.mode = "BATCH", parallelism = \${P} }
source {
  Jdbc {
    url = "\${CULVERT_MYSQL_URL}", user = "\${CULVERT_DB_USER}", password = "\${CULVERT_DB_PASSWORD}"
    table_path = "bench.orders", partition_column = "id", partition_num = \${P}
  }
}
sink {
  Jdbc {
    url = "\${CULVERT_PG_URL}", user = "\${CULVERT_DB_USER}", password = "\${CULVERT_DB_PASSWORD}"
    generate_sink_sql = true, table = "bench.from_my"
  }
}
CONF
cat > "$work/csv.load" <<LOAD
LOAD CSV FROM '$csv' (id, customer_id, status, amount, created_at, note, flag, ratio)
  INTO $pgurl?bench.orders_copy (id, customer_id, status, amount, created_at, note, flag, ratio)
  WITH fields terminated by ',', fields optionally enclosed by '"', batch rows = 25000, workers = 2, concurrency = 1;
LOAD
cat > "$work/my.load" <<LOAD
LOAD DATABASE FROM $myurl INTO $pgurl
  WITH data only, truncate, workers = 2, concurrency = 1, batch rows = 25000
  INCLUDING ONLY TABLE NAMES MATCHING 'orders'
  ALTER SCHEMA 'bench' RENAME TO 'bench_pgl';
LOAD
pg "DROP SCHEMA IF EXISTS bench_pgl CASCADE; CREATE SCHEMA bench_pgl; CREATE TABLE bench_pgl.orders ($cols)" >/dev/null

trunc_copy="pg 'TRUNCATE bench.orders_copy'"
trunc_my="pg 'TRUNCATE bench.from_my'"
psql_cmd="psql -h $CULVERT_PG_HOST -p $CULVERT_PG_PORT -U $CULVERT_DB_USER -d culvert -qAtX"
declare -A S R
run() { # run KEY PREP CMD
  local key=$1 prep=$2; shift 2
  echo "  $key..."
  read -r S[$key] R[$key] < <(measure "$prep" "$@")
}
# round KEY PREP CMD [KEY PREP CMD]…: the commands of one section take turns
# run by run, so that server state (autovacuum, WAL, caches) drifting over
# the section favours none of them
round() {
  local n=$(( $# / 3 )) i k
  local -a keys preps cmds
  for ((i = 0; i < n; i++)); do keys+=("$1"); preps+=("$2"); cmds+=("$3"); shift 3; : > "$work/all_$i"; done
  echo "  ${keys[*]}..."
  for _ in $(seq "$runs"); do
    for ((k = 0; k < n; k++)); do
      eval "${preps[$k]}" >/dev/null
      /usr/bin/time -f "%e %M" -o "$work/t" bash -c "${cmds[$k]}" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
      cat "$work/t" >> "$work/all_$k"
    done
  done
  for ((k = 0; k < n; k++)); do
    S[${keys[$k]}]=$(awk '{print $1}' "$work/all_$k" | median)
    R[${keys[$k]}]=$(awk '{print $2}' "$work/all_$k" | median)
  done
}
q() { printf '%q ' "$@"; } # a command line for round
echo "csv → PostgreSQL"
round csv_culvert "$trunc_copy" "$(q "$bin" run -q --no-progress -c "$work/csv_to_pg.conf")" \
      csv_psql "$trunc_copy" "$psql_cmd -c \"\\\\copy bench.orders_copy FROM '$csv' WITH (FORMAT csv)\""
if command -v pgloader >/dev/null; then run csv_pgloader "$trunc_copy" pgloader -q "$work/csv.load"; fi
echo "PostgreSQL → PostgreSQL"
round pg_culvert1 "$trunc_copy" "$(q "$bin" run -q --no-progress -c "$work/pg_to_pg.conf" -i P=1)" \
      pg_culvert2 "$trunc_copy" "$(q "$bin" run -q --no-progress -c "$work/pg_to_pg.conf" -i P=2)" \
      pg_pipe "$trunc_copy" "$psql_cmd -c 'COPY bench.orders TO STDOUT (FORMAT binary)' | $psql_cmd -c 'COPY bench.orders_copy FROM STDIN (FORMAT binary)'"
echo "MariaDB → PostgreSQL"
round my_culvert1 "$trunc_my" "$(q "$bin" run -q --no-progress -c "$work/my_to_pg.conf" -i P=1)" \
      my_culvert2 "$trunc_my" "$(q "$bin" run -q --no-progress -c "$work/my_to_pg.conf" -i P=2)" \
      my_pipe "$trunc_my" "mariadb --no-defaults --quick -N -B -h$CULVERT_MYSQL_HOST -P$CULVERT_MYSQL_PORT -u$CULVERT_DB_USER -p$CULVERT_DB_PASSWORD -e 'SELECT id, customer_id, status, amount, created_at, note, flag, ratio FROM bench.orders' | $psql_cmd -c 'COPY bench.from_my FROM STDIN'"
if command -v pgloader >/dev/null; then run my_pgloader "pg 'TRUNCATE bench_pgl.orders'" pgloader -q "$work/my.load"; fi

mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }
ratio() { [ -n "${S[$2]:-}" ] && awk -v a="${S[$1]}" -v b="${S[$2]}" 'BEGIN{printf "%.2f×", a/b}' || echo "n/a"; }
row() { # row KEY LABEL BASELINE
  [ -n "${S[$1]:-}" ] || return 0
  local rps; rps=$(awk -v r="$rows" -v s="${S[$1]}" 'BEGIN{printf "%.2f", r/s/1e6}')
  echo "| $2 | ${S[$1]} | $rps | $(mib "${R[$1]}") | $(ratio "$1" "$3") |"
}
{
  echo "# Database benchmarks"
  echo
  echo "Generated by \`bench/db.sh\` on $(date -u +%Y-%m-%d). Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores."
  echo "PostgreSQL $(pg 'SHOW server_version'), MariaDB $(my 'SELECT VERSION()'), both on loopback (scripts/services.sh: fsync off)."
  echo "Data: the \`orders\` table, $rows rows × 8 columns ($((bytes / 1000000)) MB as csv). Each figure is the median of $runs runs;"
  echo "the commands of a section take turns run by run, and the target table is emptied before every run."
  echo "Peak RSS is that of the largest process of the command."
  echo "The ratio column is wall time relative to the reference command of the same section (lower is better for culvert)."
  echo
  echo "| what | seconds | M rows/s | peak RSS (MiB) | time vs reference |"
  echo "|---|---|---|---|---|"
  echo "| **csv → PostgreSQL** | | | | |"
  row csv_psql '`psql \copy … FROM file (csv)` (reference)' csv_psql
  row csv_culvert 'culvert LocalFile → Jdbc (COPY binary)' csv_psql
  row csv_pgloader 'pgloader 3.6 (csv)' csv_psql
  echo "| **PostgreSQL → PostgreSQL** | | | | |"
  row pg_pipe '`psql COPY TO STDOUT (binary) \| psql COPY FROM STDIN (binary)` (reference)' pg_pipe
  row pg_culvert1 'culvert Jdbc → Jdbc, 1 reader' pg_pipe
  row pg_culvert2 'culvert Jdbc → Jdbc, 2 readers/writers' pg_pipe
  echo "| **MariaDB → PostgreSQL** | | | | |"
  row my_pipe '`mariadb --quick -N -B \| psql COPY FROM STDIN` (reference)' my_pipe
  row my_culvert1 'culvert Jdbc → Jdbc, 1 reader' my_pipe
  row my_culvert2 'culvert Jdbc → Jdbc, 2 readers/writers' my_pipe
  row my_pgloader 'pgloader 3.6 (mysql)' my_pipe
  echo
  if [ -n "${S[csv_pgloader]:-}" ]; then
    echo "culvert vs pgloader: csv $(awk -v a="${S[csv_pgloader]}" -v b="${S[csv_culvert]}" 'BEGIN{printf "%.1f", a/b}')× faster; MariaDB $(awk -v a="${S[my_pgloader]:-0}" -v b="${S[my_culvert2]}" 'BEGIN{printf "%.1f", a/b}')× faster (2 readers)."
    echo
  fi
  echo "Targets (issue 4): ≤ 1.1× the pipe in each case, ≥ 3× faster than pgloader, peak RSS ≤ 64 MiB."
} > "$out"
cat "$out"
