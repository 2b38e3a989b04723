#!/usr/bin/env bash
# gen-docs.sh — regenerate the option tables in docs/connectors/<Name>.md
# from the plugins' option tables (the single source). Text outside the
# markers is hand-written and kept. With --check, only report stale files.
# Usage: scripts/gen-docs.sh CULVERT [--check]
set -euo pipefail
bin=$1; check=${2:-}
dir=docs/connectors
mkdir -p "$dir"
stale=0
for name in $("$bin" connectors --json | jq -r '.plugins[].name' | sort -u); do
  f="$dir/$name.md"
  gen=$("$bin" connectors --markdown "$name")
  if [ -f "$f" ] && grep -q '<!-- options:begin -->' "$f"; then
    # ENVIRON, not -v: awk -v would expand the backslashes in "\001" or "\t"
    new=$(GEN="$gen" awk '
      /<!-- options:begin -->/ { print; print ENVIRON["GEN"]; skip = 1; next }
      /<!-- options:end -->/ { skip = 0 }
      !skip { print }' "$f")
  else
    old=""; [ -f "$f" ] && old=$(cat "$f")
    new=$(printf '# %s\n\n<!-- options:begin -->\n%s\n<!-- options:end -->\n%s' "$name" "$gen" "${old:+
$old}")
  fi
  if [ "$check" = --check ]; then
    [ "$new" = "$(cat "$f" 2>/dev/null)" ] || { echo "stale: $f (run scripts/gen-docs.sh)"; stale=1; }
  else
    printf '%s\n' "$new" > "$f"
  fi
done
exit $stale
