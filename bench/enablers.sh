#!/usr/bin/env bash
# Chain search and dossier speed on a large graph: generates a synthetic
# graph (default 1,000,000 claims and 100,000 events), imports it into
# SQLite once, then times `enablers` for its busiest country and the
# dossier of the top enabler, with peak resident memory.
#
#   bench/enablers.sh [CLAIMS] [EVENTS]
#
# The database is kept in $ARMSTRACE_BENCH_DIR (default /tmp/armstrace-bench)
# so that runs after the first skip the import.
set -euo pipefail
cd "$(dirname "$0")/.."
claims=${1:-1000000}
events=${2:-100000}
dir=${ARMSTRACE_BENCH_DIR:-/tmp/armstrace-bench}
mkdir -p "$dir"
[ -x /usr/bin/time ] || { echo "installing GNU time"; apt-get install -y -qq time >/dev/null; }
go build -o "$dir/armstrace" ./cmd/armstrace
db="$dir/graph-$claims-$events.db"
if [ ! -f "$db" ]; then
	go run ./bench/gengraph -claims "$claims" -events "$events" -o "$dir/graph.jsonl"
	echo "importing (once)…"
	/usr/bin/time -f '%e %M' -o "$dir/t" "$dir/armstrace" --db "$db.tmp" import --format jsonl "$dir/graph.jsonl" >/dev/null
	read -r secs kb <"$dir/t"
	printf 'import: %.1f s, peak %.0f MB\n' "$secs" "$(echo "$kb / 1024" | bc -l)"
	mv "$db.tmp" "$db"
	rm -f "$dir/graph.jsonl" "$db.tmp-wal" "$db.tmp-shm"
fi
measure() {
	local label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$dir/t" "$@" >"$dir/out"
	read -r secs kb <"$dir/t"
	printf '%-48s %8.3f s %8.0f MB\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)"
}
echo
echo "graph: $claims claims, $events events (SQLite, $(du -h "$db" | cut -f1))"
for i in 1 2 3; do
	measure "enablers --country Conflictia (run $i)" "$dir/armstrace" --db "$db" --json enablers --country Conflictia --limit 20
done
top=$(grep -o '"id": "ent:[^"]*"' "$dir/out" | sed -n 2p | cut -d'"' -f4)
n=$(grep -c '"rank"' "$dir/out" || true)
echo "  $n enablers listed; top: $top"
for f in html json; do
	measure "dossier $top --format $f" "$dir/armstrace" --db "$db" dossier "$top" --format "$f"
done
