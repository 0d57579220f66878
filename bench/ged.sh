#!/usr/bin/env bash
# Import speed and peak memory of the UCDP GED importer on SQLite, on the
# real GED Syria release (when ../shared is there) and on a generated
# GED-shaped file of a million rows; and, for scale, sqlite3's own .import
# of the same CSV into a bare table, the floor no importer beats.
#
#   bench/ged.sh [ROWS]        ROWS defaults to 1000000
#
# Prints rows per second and peak resident memory for each run.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v sqlite3 >/dev/null || { echo "installing sqlite3 for the floor measurement"; apt-get install -y -qq sqlite3 >/dev/null; }
[ -x /usr/bin/time ] || { echo "installing GNU time"; apt-get install -y -qq time >/dev/null; }

go build -o "$work/armstrace" ./cmd/armstrace
go build -o "$work/genged" ./bench/genged

files=()
real=../shared/data/ucdp_ged_syria/ged_syria_652.1601.1911_2016-01-01_2019-11-30.csv
[ -f "$real" ] && files+=("$real")
echo "generating $rows GED-shaped rows…"
"$work/genged" -n "$rows" -o "$work/ged-$rows.csv"
files+=("$work/ged-$rows.csv")

printf '\n%-58s %10s %9s %12s %10s\n' "file" "rows" "seconds" "rows/s" "peak MB"
for f in "${files[@]}"; do
	name=$(basename "$f")
	# armstrace: read, map, validate, write with citations and audit entries, in one transaction.
	rm -f "$work"/a.db*
	/usr/bin/time -f '%e %M' -o "$work/t" "$work/armstrace" --db "$work/a.db" --json import --format ucdp-ged "$f" >"$work/out.json"
	read -r secs kb <"$work/t"
	n=$(grep -o '"rows_read": [0-9]*' "$work/out.json" | grep -o '[0-9]*$')
	printf '%-58s %10d %9.2f %12.0f %10.0f\n' "armstrace import: ${name:0:40}" "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
	# sqlite3 .import into a bare table: no parsing of values, no checks, no indexes.
	rm -f "$work"/floor.db*
	/usr/bin/time -f '%e %M' -o "$work/t" sqlite3 "$work/floor.db" ".mode csv" ".import $f ged"
	read -r fsecs fkb <"$work/t"
	[ "$(sqlite3 "$work/floor.db" 'SELECT COUNT(*) FROM ged')" = "$n" ] || echo "  (sqlite3 read a different number of rows)"
	printf '%-58s %10d %9.2f %12.0f %10.0f\n' "sqlite3 .import: ${name:0:40}" "$n" "$fsecs" "$(echo "$n / $fsecs" | bc -l)" "$(echo "$fkb / 1024" | bc -l)"
	printf '%-58s %10s %9.1fx\n' "  ratio armstrace / sqlite3 (time)" "" "$(echo "$secs / $fsecs" | bc -l)"
done

# The driver's own ceiling: rows shaped like an event (1 KB document, the
# events table's key and indexes) inserted with nothing of armstrace's
# around them. An importer on this driver cannot pass the "events" line.
echo
echo "SQLite driver floor (go run ./bench/sqlitefloor):"
go run ./bench/sqlitefloor -n 200000
