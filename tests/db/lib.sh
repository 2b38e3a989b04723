# lib.sh — database helpers for tests/db/run.sh and bench/db.sh: clients
# for the throwaway servers of scripts/services.sh, and an order-independent
# checksum of a table computed in SQL by the database itself.
#
#   pg SQL…  my SQL…  lite FILE SQL…    run SQL, print rows (tab-separated)
#   checksum pg|my SCHEMA.TABLE [portable] [-COLUMN…]   "rows|sum": sum
#        over rows of the first 60 bits of md5(the row's columns, but the
#        -COLUMNs, as canonical text)
#   aggsum pg|my|lite SCHEMA.TABLE|FILE:TABLE  per-column aggregates
#        (non-null count, total text length, numeric sum, epoch sum), for
#        SQLite, which has no md5
#
# Canonical text per column type makes two databases agree on a value:
# integers and decimals as their digits, booleans 0/1, bytes lower-case
# hex, dates yyyy-mm-dd, times HH:MM:SS.ffffff, timestamps
# yyyy-mm-dd HH:MM:SS.ffffff (with a zone: in UTC), NULL as \N. `portable`
# also rounds floating-point values to 3 decimals, since two databases
# print the same double differently (1e+308 and 1e308).

pg() {
  PGOPTIONS='-c client_min_messages=warning' PGPASSWORD=$CULVERT_DB_PASSWORD psql -h "$CULVERT_PG_HOST" -p "$CULVERT_PG_PORT" -U "$CULVERT_DB_USER" \
    -d culvert -qAtX -F $'\t' -v ON_ERROR_STOP=1 -c "$*"
}
my() {
  mariadb --no-defaults -h"$CULVERT_MYSQL_HOST" -P"$CULVERT_MYSQL_PORT" -u"$CULVERT_DB_USER" \
    -p"$CULVERT_DB_PASSWORD" --default-character-set=utf8mb4 -N -B --init-command="SET time_zone='+00:00'" culvert -e "$*"
}
lite() { local f=$1; shift; sqlite3 -batch -separator $'\t' "$f" "$*"; }

# pg_canon COLUMN DATA_TYPE LENGTH PORTABLE → a text expression
pg_canon() {
  local c="\"$1\"" t=$2 n=$3 p=$4
  case "$t" in
    character) echo "rpad($c::text, $n)" ;; # char(n) keeps its padding when read
    smallint|integer|bigint|numeric) echo "$c::text" ;;
    real|"double precision") [ -n "$p" ] && echo "round($c::numeric, 3)::text" || echo "$c::text" ;;
    boolean) echo "$c::int::text" ;;
    bytea) echo "encode($c, 'hex')" ;;
    date) echo "to_char($c, 'YYYY-MM-DD')" ;;
    "time without time zone") echo "to_char($c, 'HH24:MI:SS.US')" ;;
    "timestamp without time zone") echo "to_char($c, 'YYYY-MM-DD HH24:MI:SS.US')" ;;
    "timestamp with time zone") echo "to_char($c AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')" ;;
    *) echo "$c::text" ;;
  esac
}

# my_canon COLUMN DATA_TYPE COLUMN_TYPE PORTABLE
my_canon() {
  local c="\`$1\`" t=$2 ct=$3 p=$4
  case "$t" in
    tinyint|smallint|mediumint|int|bigint|decimal|year) echo "CAST($c AS CHAR)" ;;
    float|double) [ -n "$p" ] && echo "CAST(CAST(ROUND($c, 3) AS DECIMAL(40,3)) AS CHAR)" || echo "CAST($c AS CHAR)" ;;
    bit) # bit(1) is a boolean; wider ones are bytes, HEX drops their leading zeros
      local bits=${ct#bit(}; bits=${bits%)}
      [ "$bits" = 1 ] && echo "CAST(CAST($c AS UNSIGNED) AS CHAR)" ||
        echo "LPAD(LOWER(HEX($c)), $(( (bits + 7) / 8 * 2 )), '0')" ;;
    binary|varbinary|tinyblob|blob|mediumblob|longblob) echo "LOWER(HEX($c))" ;;
    date) echo "DATE_FORMAT($c, '%Y-%m-%d')" ;;
    time) echo "TIME_FORMAT($c, '%H:%i:%s.%f')" ;;
    datetime|timestamp) echo "DATE_FORMAT($c, '%Y-%m-%d %H:%i:%s.%f')" ;;
    *) echo "CAST($c AS CHAR)" ;;
  esac
}

split_path() { # split_path SCHEMA.TABLE → sets _s and _t
  _s=${1%%.*}; _t=${1#*.}
}

skipped() { # skipped NAME -COL… : whether NAME is one of the -COLs (any case)
  local n=${1,,}; shift
  for x in "$@"; do [ "${x,,}" = "-$n" ] && return 0; done
  return 1
}

checksum() {
  local db=$1 path=$2 portable="" exprs=() name type ctype len
  shift 2
  [ "${1:-}" = portable ] && { portable=1; shift; }
  split_path "$path"
  if [ "$db" = pg ]; then
    while IFS=$'\t' read -r name type len; do
      skipped "$name" "$@" && continue
      exprs+=("coalesce($(pg_canon "$name" "$type" "$len" "$portable"), '\\N')")
    done < <(pg "SELECT column_name, data_type, coalesce(character_maximum_length, 0) FROM information_schema.columns
                 WHERE table_schema = '$_s' AND table_name = '$_t' ORDER BY ordinal_position")
    [ ${#exprs[@]} -gt 0 ] || { echo "no table $path"; return 1; }
    local row; row=$(IFS=,; echo "${exprs[*]}")
    pg "SELECT count(*) || '|' || coalesce(sum(('x' || substr(md5(concat_ws('|', $row)), 1, 15))::bit(60)::bigint), 0)
        FROM \"$_s\".\"$_t\""
  else
    while IFS=$'\t' read -r name type ctype; do
      skipped "$name" "$@" && continue
      exprs+=("IFNULL($(my_canon "$name" "$type" "$ctype" "$portable"), '\\\\N')")
    done < <(my "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS
                 WHERE TABLE_SCHEMA = '$_s' AND TABLE_NAME = '$_t' ORDER BY ORDINAL_POSITION")
    [ ${#exprs[@]} -gt 0 ] || { echo "no table $path"; return 1; }
    local row; row=$(IFS=,; echo "${exprs[*]}")
    my "SELECT CONCAT(COUNT(*), '|', IFNULL(SUM(CAST(CONV(SUBSTR(MD5(CONCAT_WS('|', $row)), 1, 15), 16, 10)
        AS UNSIGNED)), 0)) FROM \`$_s\`.\`$_t\`"
  fi
}

# aggsum pg SCHEMA.TABLE | lite FILE:TABLE — "rows;col:nonnull:len:sum;…"
# with numbers summed as integers (x1000 for reals), temporal values as
# seconds since the epoch and everything else by the length of its text.
aggsum() {
  local db=$1 path=$2 parts=() name type
  if [ "$db" = pg ]; then
    split_path "$path"
    while IFS=$'\t' read -r name type; do
      local c="\"$name\"" v
      case "$type" in
        smallint|integer|bigint|numeric) v="coalesce(sum(round($c::numeric * 1000)), 0)::numeric(40,0)::text" ;;
        real|"double precision") v="coalesce(sum(round(($c * 1000)::numeric)), 0)::numeric(40,0)::text" ;;
        boolean) v="coalesce(sum($c::int), 0)::text" ;;
        date) v="coalesce(sum(floor(extract(epoch from $c::timestamp))), 0)::numeric(40,0)::text" ;;
        "timestamp without time zone"|"timestamp with time zone")
          v="coalesce(sum(floor(extract(epoch from $c))), 0)::numeric(40,0)::text" ;;
        bytea) v="coalesce(sum(length($c)), 0)::text" ;;
        *) v="coalesce(sum(length($c::text)), 0)::text" ;;
      esac
      parts+=("count($c) || ':' || $v")
    done < <(pg "SELECT column_name, data_type FROM information_schema.columns
                 WHERE table_schema = '$_s' AND table_name = '$_t' ORDER BY ordinal_position")
    local sel; sel=$(IFS=,; echo "${parts[*]}")
    pg "SELECT concat_ws(';', count(*), $sel) FROM \"$_s\".\"$_t\""
  else
    local file=${path%%:*} table=${path#*:}
    while IFS=$'\t' read -r name type; do
      local c="\"$name\"" v
      case "${type^^}" in
        TINYINT|SMALLINT|INT|INTEGER|BIGINT|DECIMAL_TEXT*) v="CAST(coalesce(sum(round($c * 1000)), 0) AS INTEGER)" ;;
        FLOAT|DOUBLE|REAL) v="CAST(coalesce(sum(round($c * 1000)), 0) AS INTEGER)" ;;
        BOOLEAN) v="coalesce(sum($c), 0)" ;;
        # whole seconds: strftime rounds 9999-12-31 23:59:59.9999 out of range
        DATE|TIMESTAMP|TIMESTAMPTZ) v="coalesce(sum(CAST(strftime('%s', substr($c, 1, 19)) AS INTEGER)), 0)" ;;
        BLOB) v="coalesce(sum(length($c)), 0)" ;;
        *) v="coalesce(sum(length(CAST($c AS TEXT))), 0)" ;;
      esac
      parts+=("count($c) || ':' || $v")
    done < <(lite "$file" "SELECT name, type FROM pragma_table_info('$table')")
    local sel="count(*)" p
    for p in "${parts[@]}"; do sel="$sel || ';' || $p"; done
    lite "$file" "SELECT $sel FROM \"$table\""
  fi
}

# coldiff DB:T DB:T [portable] [-COL…] — the columns whose values differ:
# the checksum of the key (first column) with each column alone
coldiff() {
  local x=$1 y=$2 rest=() cols=() c others a b
  shift 2
  rest=("$@")
  local xdb=${x%%:*} xt=${x#*:}
  split_path "$xt"
  if [ "$xdb" = pg ]; then
    mapfile -t cols < <(pg "SELECT column_name FROM information_schema.columns
      WHERE table_schema = '$_s' AND table_name = '$_t' ORDER BY ordinal_position")
  else
    mapfile -t cols < <(my "SELECT COLUMN_NAME FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = '$_s' AND TABLE_NAME = '$_t' ORDER BY ORDINAL_POSITION")
  fi
  for c in "${cols[@]:1}"; do
    skipped "$c" "${rest[@]}" && continue
    others=()
    for o in "${cols[@]:1}"; do [ "${o,,}" != "${c,,}" ] && others+=("-$o"); done
    a=$(checksum "$xdb" "$xt" "${rest[@]}" "${others[@]}" 2>&1)
    b=$(checksum "${y%%:*}" "${y#*:}" "${rest[@]}" "${others[@]}" 2>&1)
    [ "$a" = "$b" ] || printf '%s ' "$c"
  done
}

# dup_csv FILE N [AT] — "id,amount,name" and N rows with ids 1…N, plus
# a second row with id 5 (name "dup") at line AT of the file (default 10)
dup_csv() {
  awk -v n="$2" -v at="${3:-10}" 'BEGIN {
    print "id,amount,name"; line = 1
    for (i = 1; i <= n; i++) {
      if (++line == at) { print "5,5.50,dup"; line++ }
      printf "%d,%d.50,name%d\n", i, i, i
    }
    if (line < at) print "5,5.50,dup"
  }' > "$1"
}
