#!/usr/bin/env bash
# API throughput with wrk on loopback: POST /api/v1/match with a single
# name, and GET /api/v1/entities/{id}, on the demo database, each request
# authenticated with an API token as a viewer.
#
#   bench/serve.sh [SECONDS] [CONNECTIONS]
#
# Prints wrk's figures (requests/s, latency percentiles, errors).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-16}
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
dir=$(mktemp -d)
pid=""
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
go build -o "$dir/armstrace" ./cmd/armstrace
db="$dir/demo.db"
"$dir/armstrace" --db "$db" demo --no-serve >/dev/null
printf 'a long bench password\n' | "$dir/armstrace" --db "$db" user add bench --role viewer --password-stdin >/dev/null
token=$("$dir/armstrace" --db "$db" user token bench --label bench 2>/dev/null)
port=$((20000 + RANDOM % 20000))
"$dir/armstrace" --db "$db" serve --addr "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
cat >"$dir/match.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"queries": {"q": {"schema": "Company", "properties": {"name": ["Rosobornexport"]}}}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
cat >"$dir/get.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
# A first request of each builds the screening index.
curl -fs -X POST -H "Authorization: Bearer $token" -d @<(echo '{"queries": {"q": {"schema": "Company", "properties": {"name": ["x"]}}}}') "http://127.0.0.1:$port/api/v1/match" >/dev/null
echo "== POST /api/v1/match, one name, ${secs}s, $conns connections, $(nproc) cores"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$dir/match.lua" "http://127.0.0.1:$port/api/v1/match"
echo "== GET /api/v1/entities/ent:rosoboronexport, ${secs}s, $conns connections"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$dir/get.lua" "http://127.0.0.1:$port/api/v1/entities/ent:rosoboronexport"
