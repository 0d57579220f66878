#!/usr/bin/env bash
# Ceasefire report speed: a generated graph whose events (a million by
# default) all happen in one country with a ceasefire, imported into
# SQLite once; then `ceasefire report` on it, three times, with peak
# resident memory.
#
#   bench/ceasefire.sh [EVENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
dir=${ARMSTRACE_BENCH_DIR:-/tmp/armstrace-bench}
mkdir -p "$dir"
[ -x /usr/bin/time ] || { echo "installing GNU time"; apt-get install -y -qq time >/dev/null; }
go build -o "$dir/armstrace" ./cmd/armstrace
db="$dir/events-$events.db"
if [ ! -f "$db" ]; then
	go run ./bench/gengraph -claims 0 -events "$events" -one-country -o "$dir/events.jsonl"
	echo "importing (once)…"
	/usr/bin/time -f '%e %M' -o "$dir/t" "$dir/armstrace" --db "$db.tmp" import --format jsonl "$dir/events.jsonl" >/dev/null
	read -r secs kb <"$dir/t"
	printf 'import: %.1f s, peak %.0f MB\n' "$secs" "$(echo "$kb / 1024" | bc -l)"
	mv "$db.tmp" "$db"
	rm -f "$dir/events.jsonl" "$db.tmp-wal" "$db.tmp-shm"
fi
echo
echo "graph: $events events in one country (SQLite, $(du -h "$db" | cut -f1))"
for i in 1 2 3; do
	/usr/bin/time -f '%e %M' -o "$dir/t" "$dir/armstrace" --db "$db" --json ceasefire report cf:conflictia-2010 --aggregates spread >"$dir/out"
	read -r secs kb <"$dir/t"
	printf 'ceasefire report (run %d) %8.3f s %8.0f MB\n' "$i" "$secs" "$(echo "$kb / 1024" | bc -l)"
done
grep -o '"up_to_start": {[^}]*}' "$dir/out" | head -1
