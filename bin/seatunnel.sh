#!/usr/bin/env bash
# seatunnel.sh — SeaTunnel's launcher, re-implemented on culvert: accepts
# the flags of apache/seatunnel's bin/seatunnel.sh and runs the job with
# the culvert binary (CULVERT_BIN, else build/culvert next to this script,
# else `culvert` on PATH). The job runs in this process ("local" mode);
# `-m cluster` is accepted and behaves the same.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${CULVERT_BIN:-}
[ -z "$bin" ] && [ -x "$here/../build/culvert" ] && bin="$here/../build/culvert"
[ -z "$bin" ] && bin=$(command -v culvert || true)
if [ -z "$bin" ]; then
  echo "seatunnel.sh: culvert binary not found (run make, or set CULVERT_BIN)" >&2
  exit 2
fi

usage() {
  cat <<'TXT'
Usage: seatunnel.sh [options]
  -c, --config FILE         job config file (required)
  -i, --variable k=v        variable substitution (repeatable)
  -n, --name NAME           job name
  -m, --master MODE         local | cluster (both run in this process)
  -e, --deploy-mode MODE    deprecated alias of --master
      --check               validate the config only
  -Dkey=value               property passed to plugins and event handlers
      --async               ignored: the job runs in the foreground
  -cn, --cluster NAME       ignored: there is no cluster
  -cj, --close-job BOOL     ignored: Ctrl-C always cancels the job
  -h, --help                this help
TXT
}

args=()
cmd=run
[ $# -eq 0 ] && { usage; exit 0; }
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    -c|--config|-i|--variable|-n|--name) args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    --config=*|--variable=*|--name=*) args+=("${1%%=*}" "${1#*=}"); shift ;;
    -m|--master|-e|--deploy-mode) args+=(-m "${2:?$1 needs a value}"); shift 2 ;;
    --check) cmd=check; shift ;;
    -D*) args+=("$1"); shift ;;
    --async) echo "seatunnel.sh: --async is ignored; the job runs in the foreground" >&2; shift ;;
    -cn|--cluster|-cj|--close-job) shift 2 ;;
    -r|--restore|-s|--savepoint|-j|--job-id|-can|--cancel-job|--cancel|--metrics|-l|--list|--set-job-id|--get_running_job_metrics|--encrypt|--decrypt)
      echo "seatunnel.sh: $1 is not supported yet by culvert" >&2; exit 2 ;;
    *) echo "seatunnel.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
exec "$bin" "$cmd" "${args[@]}"
