# scripted.sh — cases that need timing, sourced by run.sh (its helpers and
# variables are in scope): a server connection killed mid-copy, culvert
# killed with -9 under exactly-once and run again.

big_rows=300000
cur="scripted: setup"
pg "DROP TABLE IF EXISTS cv_src.big; CREATE TABLE cv_src.big AS SELECT * FROM cv_src.orders WHERE false;
    ALTER TABLE cv_src.big ADD PRIMARY KEY (order_id);
    INSERT INTO cv_src.big SELECT g, 1 + g % 997, 'NEW', g % 1000, 1, 0.5, 'some text ' || g,
      timestamp '2024-01-01' + g * interval '1 second', NULL FROM generate_series(1, $big_rows) g" >/dev/null ||
  bad "cannot make cv_src.big"

big_job() { # big_job NAME TARGET_URL TARGET_TABLE [extra sink options]
  cat > "$tmp/$1.conf" <<CONF
env { job.name = "$1", job.mode = "BATCH" }
source {
  Jdbc {
    url = "\${CULVERT_PG_URL}", user = "\${CULVERT_DB_USER}", password = "\${CULVERT_DB_PASSWORD}"
    table_path = "culvert.cv_src.big"
  }
}
sink {
  Jdbc {
    url = "$2", user = "\${CULVERT_DB_USER}", password = "\${CULVERT_DB_PASSWORD}"
    generate_sink_sql = true
    table = "$3"
    is_exactly_once = true
    ${4:-}
  }
}
CONF
}

# wait_for CMD: poll CMD (a query printing a count) until it prints > 0
wait_for() {
  for _ in $(seq 200); do
    [ "$(eval "$1" 2>/dev/null)" -gt 0 ] 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# -- the sink's backend killed mid-COPY: the job fails naming the cause;
#    exactly-once leaves nothing visible and nothing prepared. The COPY
#    must be caught running (not just finished), so try a few times.
cur="scripted: PostgreSQL backend killed mid-copy"
big_job kill_backend "\${CULVERT_PG_URL}" "public.big_copy"
active="FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'COPY%big_copy%FROM STDIN%'"
caught=0
for attempt in 1 2 3; do
  pg "DROP TABLE IF EXISTS public.big_copy" >/dev/null
  (cd "$tmp" && "$bin" run --no-progress -c kill_backend.conf >"$tmp/out" 2>"$tmp/err") &
  runner=$!
  killed=0
  wait_for "pg \"SELECT count(*) $active\"" && killed=$(pg "SELECT count(pg_terminate_backend(pid)) $active")
  wait $runner; code=$?
  [ "$killed" -gt 0 ] 2>/dev/null || continue
  caught=1
  if [ $code -ne 1 ]; then bad "exit $code, expected 1"
  elif ! grep -q "terminat\|connection to the server was lost" "$tmp/err"; then bad "the message does not say the connection was lost"
  elif ! grep -q "big_copy" "$tmp/err"; then bad "the message does not name the table"
  elif [ "$(pg "SELECT count(*) FROM public.big_copy")" != 0 ]; then bad "rows are visible after the failure"
  elif [ "$(pg "SELECT count(*) FROM pg_prepared_xacts")" != 0 ]; then bad "a prepared transaction was left"
  else ok; fi
  break
done
[ $caught = 1 ] || bad "never caught the COPY running"

# -- the source's MySQL connection killed mid-read
cur="scripted: MySQL connection killed mid-read"
my "DROP TABLE IF EXISTS cv_src.big; CREATE TABLE cv_src.big (id bigint PRIMARY KEY, note varchar(64));
    INSERT INTO cv_src.big SELECT seq, CONCAT('row ', seq) FROM seq_1_to_$big_rows" >/dev/null
cat > "$tmp/kill_reader.conf" <<'CONF'
env { job.mode = "BATCH", read_limit.rows_per_second = 20000 }
source {
  Jdbc {
    url = "${CULVERT_MYSQL_URL}", user = "${CULVERT_DB_USER}", password = "${CULVERT_DB_PASSWORD}"
    query = "SELECT * FROM cv_src.big"
  }
}
sink { Console { log.print.data = false } }
CONF
(cd "$tmp" && "$bin" run --no-progress -c kill_reader.conf >"$tmp/out" 2>"$tmp/err") &
runner=$!
if wait_for "my \"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT * FROM cv_src.big%'\""; then
  id=$(my "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT * FROM cv_src.big%' LIMIT 1")
  my "KILL $id" >/dev/null
  wait $runner; code=$?
  if [ $code -ne 1 ]; then bad "exit $code, expected 1"
  elif ! grep -qi "lost\|killed\|interrupted\|server has gone away" "$tmp/err"; then bad "the message does not say why"
  else ok; fi
else
  kill $runner 2>/dev/null; wait $runner; bad "never saw the query running"
fi

# -- culvert killed with -9 while writing with exactly-once: nothing of
#    it is visible; the next run rolls back what it left prepared and
#    copies everything exactly once
for target in pg my; do
  cur="scripted: kill -9 under exactly-once ($target), then run again"
  if [ $target = pg ]; then
    pg "DROP TABLE IF EXISTS public.big_xa" >/dev/null
    big_job crash_$target "\${CULVERT_PG_URL}" "public.big_xa"
    count_q() { pg "SELECT count(*) FROM public.big_xa"; }
    pending_q() { pg "SELECT count(*) FROM pg_prepared_xacts"; }
  else
    my "DROP TABLE IF EXISTS culvert.big_xa" >/dev/null
    big_job crash_$target "\${CULVERT_MYSQL_URL}" "big_xa" 'database = "culvert"'
    count_q() { my "SELECT COUNT(*) FROM culvert.big_xa"; }
    pending_q() { my "XA RECOVER" | wc -l; }
  fi
  (cd "$tmp" && exec "$bin" run --no-progress -c crash_$target.conf >"$tmp/out" 2>"$tmp/err") &
  runner=$!
  sleep 1.5
  kill -9 $runner 2>/dev/null; wait $runner 2>/dev/null
  seen=$(count_q 2>/dev/null || echo 0)
  if [ "$seen" != 0 ] && [ "$seen" != "$big_rows" ]; then bad "$seen rows visible after kill -9"; continue; fi
  (cd "$tmp" && "$bin" run --no-progress -c crash_$target.conf >"$tmp/out" 2>"$tmp/err")
  code=$?
  if [ $code -ne 0 ]; then bad "the second run failed ($code)"
  elif [ "$seen" = 0 ] && [ "$(count_q)" != "$big_rows" ]; then bad "$(count_q) rows after the second run"
  elif [ "$seen" = "$big_rows" ] && [ "$(count_q)" != "$big_rows" ]; then bad "$(count_q) rows after the second run"
  elif [ "$(pending_q)" != 0 ]; then bad "prepared transactions left"
  else ok; fi
done
