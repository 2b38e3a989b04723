#!/usr/bin/env bash
# services.sh — throwaway database servers for tests, never system services:
# PostgreSQL (wal_level=logical, max_prepared_transactions > 0) and MariaDB
# (binlog ROW) with their data in DIR, listening on free loopback ports.
#
#   scripts/services.sh start DIR    start both; writes DIR/env (source it)
#   scripts/services.sh stop DIR     stop both (safe to call twice)
#
# DIR/env exports CULVERT_PG_URL, CULVERT_MYSQL_URL (jdbc: urls),
# CULVERT_PG_HOST/PORT, CULVERT_MYSQL_HOST/PORT, CULVERT_DB_USER,
# CULVERT_DB_PASSWORD and CULVERT_SERVICES=DIR. Run as root, PostgreSQL runs
# as the `postgres` user (it refuses root) and MariaDB as root.
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
user=culvert
password=culvert-test

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  # a port nothing listens on, from a range away from the usual ones
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "services: no free port found" >&2
  exit 1
}

wait_for() { # wait_for WHAT CMD...: retry CMD for up to 30 s
  local what=$1; shift
  for _ in $(seq 300); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "services: $what did not come up" >&2
  return 1
}

start_pg() {
  [ -x "$pgbin/initdb" ] || { echo "services: PostgreSQL is not installed (scripts/bootstrap.sh services)" >&2; exit 1; }
  local port; port=$(free_port)
  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pg"
  as_pg "$pgbin/initdb" -D "$dir/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1 ||
    { cat "$dir/pg/initdb.log" >&2; exit 1; }
  cat >> "$dir/pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/pg'
wal_level = logical
max_prepared_transactions = 16
max_wal_senders = 8
max_replication_slots = 8
fsync = off
synchronous_commit = off
full_page_writes = off
# bulk benchmarks write GBs of WAL: no checkpoint storms in the middle of a run
max_wal_size = 8GB
checkpoint_timeout = 30min
CONF
  as_pg "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 30 start >/dev/null
  as_pg "$pgbin/psql" -h "$dir/pg" -p "$port" -U postgres -d postgres -qAt \
    -c "CREATE ROLE $user LOGIN SUPERUSER REPLICATION PASSWORD '$password'" \
    -c "CREATE DATABASE culvert OWNER $user" >/dev/null
  echo "$port" > "$dir/pg/port"
}

start_mysql() {
  command -v mariadbd >/dev/null || { echo "services: MariaDB is not installed (scripts/bootstrap.sh services)" >&2; exit 1; }
  local port; port=$(free_port)
  local my="$dir/mysql"
  mkdir -p "$my/data"
  local runas; runas=$(id -un)
  mariadb-install-db --no-defaults --datadir="$my/data" --user="$runas" --auth-root-authentication-method=normal \
    --skip-test-db >"$my/install.log" 2>&1 || { cat "$my/install.log" >&2; exit 1; }
  mariadbd --no-defaults --datadir="$my/data" --socket="$my/sock" --port="$port" --bind-address=127.0.0.1 \
    --pid-file="$my/pid" --log-error="$my/server.log" --user="$runas" --skip-name-resolve \
    --log-bin="$my/data/binlog" --binlog-format=ROW --server-id=1 --binlog-row-image=FULL \
    --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 --local-infile=1 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin >/dev/null 2>&1 &
  wait_for "MariaDB" mariadb --no-defaults -S "$my/sock" -uroot -e "SELECT 1" || { cat "$my/server.log" >&2; exit 1; }
  mariadb --no-defaults -S "$my/sock" -uroot -e "
    CREATE USER '$user'@'%' IDENTIFIED BY '$password';
    GRANT ALL PRIVILEGES ON *.* TO '$user'@'%' WITH GRANT OPTION;
    CREATE DATABASE culvert;
    FLUSH PRIVILEGES;"
  echo "$port" > "$my/port"
}

stop_all() {
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    as_pg "$pgbin/pg_ctl" -D "$dir/pg/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/mysql/pid" ]; then
    local pid; pid=$(cat "$dir/mysql/pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/mysql/pid"
  fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    chmod 755 "$dir"
    trap 'stop_all' ERR
    start_pg
    start_mysql
    trap - ERR
    pgport=$(cat "$dir/pg/port"); myport=$(cat "$dir/mysql/port")
    cat > "$dir/env" <<ENV
export CULVERT_SERVICES='$dir'
export CULVERT_DB_USER='$user'
export CULVERT_DB_PASSWORD='$password'
export CULVERT_PG_HOST=127.0.0.1 CULVERT_PG_PORT=$pgport
export CULVERT_PG_URL='jdbc:postgresql://127.0.0.1:$pgport/culvert'
export CULVERT_MYSQL_HOST=127.0.0.1 CULVERT_MYSQL_PORT=$myport
export CULVERT_MYSQL_URL='jdbc:mysql://127.0.0.1:$myport/culvert'
ENV
    cat "$dir/env"
    ;;
  stop) stop_all ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
