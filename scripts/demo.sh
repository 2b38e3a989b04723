#!/usr/bin/env bash
# demo.sh — the demo: a change stream into an SQLite table, then the table
# read back and printed. The database goes next to the binary (build/demo.db).
set -euo pipefail
bin=${1:-build/culvert}
db=${DEMO_DB:-$(dirname "$bin")/demo.db}
write=examples/fake_to_sqlite.conf
read=examples/sqlite_to_console.conf
rm -f "$db"
echo "\$ $bin plan $write"
"$bin" plan "$write" -i db="$db"
echo
echo "\$ $bin run -c $write -i db=$db"
"$bin" run -c "$write" -i db="$db"
echo
echo "\$ $bin run -c $read -i db=$db"
"$bin" run -c "$read" -i db="$db"
