#!/usr/bin/env bash
# client.sh measures gnet's client side: the same echo server (ours, one loop) is driven in turn
# by loadgen (a goroutine per connection over the standard net package) and by echo-client
# (connections dialed and served by gnet's own event loops, server.Client), alternating A B for
# ROUNDS rounds, and the table compares the two clients' throughput and CPU time per message.
#
#   ROUNDS=3 DURATION=5s CONNS=100 INFLIGHT=16 SIZE=64 tools/bench/client.sh
#
# The server runs on CPU SERVER_CPU (1) and the client on CLIENT_CPU (0), each with one loop.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-100}
INFLIGHT=${INFLIGHT:-16}
SIZE=${SIZE:-64}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
PORT=${PORT:-9310}
OUT=${OUT:-$(cd "$(dirname "$0")" && pwd)/out}

tools=$(cd "$(dirname "$0")/.." && pwd)
bin=$(mktemp -d)
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
	rm -rf "$bin"
}
trap cleanup EXIT

(cd "$tools" && go build -o "$bin/echo" ./cmd/echo && go build -o "$bin/loadgen" ./cmd/loadgen &&
	go build -o "$bin/echo-client" ./cmd/echo-client)

printf '# client side: loadgen (net) vs echo-client (gnet Client)\n\n'
printf -- '- date: %s, kernel %s, %s CPUs, %s\n' "$(date -u +%FT%TZ)" "$(uname -r)" "$(nproc)" "$(go version)"
printf -- '- %s conns, %s B, %s in flight, %s per run, %s rounds; server on CPU %s, client on CPU %s\n\n' \
	"$CONNS" "$SIZE" "$INFLIGHT" "$DURATION" "$ROUNDS" "$SERVER_CPU" "$CLIENT_CPU"

# run CLIENT prints "msgs_per_sec client_cpu_us_per_msg" for one run.
run() {
	taskset -c "$SERVER_CPU" "$bin/echo" -addr "tcp://127.0.0.1:$PORT" -loops 1 -quiet &
	server_pid=$!
	for _ in $(seq 50); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
		sleep 0.1
	done
	local json
	case $1 in
	loadgen)
		json=$(taskset -c "$CLIENT_CPU" "$bin/loadgen" -addr "tcp://127.0.0.1:$PORT" -conns "$CONNS" \
			-size "$SIZE" -inflight "$INFLIGHT" -duration "$DURATION" -json 2>/dev/null) ;;
	echo-client)
		json=$(taskset -c "$CLIENT_CPU" "$bin/echo-client" -addr "127.0.0.1:$PORT" -loops 1 -conns "$CONNS" \
			-size "$SIZE" -inflight "$INFLIGHT" -duration "$DURATION" 2>/dev/null) ;;
	esac
	# The server is stopped on purpose; neither the kill nor its exit status can tell anything.
	kill "$server_pid" 2>/dev/null || true
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
	PORT=$((PORT + 1))
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
if d.get("errors"):
    sys.exit("client reported errors: %s" % d.get("first_error"))
msgs = d["msgs_per_sec"] * d["seconds"]
print("%.0f %.3f" % (d["msgs_per_sec"], d["loadgen_cpu_seconds"] * 1e6 / max(msgs, 1)))
' "$json"
}

declare -a lg_rate lg_cpu ec_rate ec_cpu
for round in $(seq "$ROUNDS"); do
	read -r rate cpu <<<"$(run loadgen)"
	lg_rate+=("$rate"); lg_cpu+=("$cpu")
	printf '  round %d  loadgen      %10s msg/s  client %s µs/msg\n' "$round" "$rate" "$cpu"
	read -r rate cpu <<<"$(run echo-client)"
	ec_rate+=("$rate"); ec_cpu+=("$cpu")
	printf '  round %d  echo-client  %10s msg/s  client %s µs/msg\n' "$round" "$rate" "$cpu"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
lr=$(median "${lg_rate[@]}"); lc=$(median "${lg_cpu[@]}")
er=$(median "${ec_rate[@]}"); ec=$(median "${ec_cpu[@]}")
mkdir -p "$OUT"
{
	printf '\n| client | msgs/s | client CPU µs/msg | msgs/s vs loadgen | CPU/msg vs loadgen |\n|---|---:|---:|---:|---:|\n'
	printf '| loadgen (net) | %s | %s | | |\n' "$lr" "$lc"
	printf '| echo-client (gnet Client) | %s | %s | %s× | %s× |\n' "$er" "$ec" \
		"$(python3 -c "print('%.2f' % ($er / $lr))")" "$(python3 -c "print('%.2f' % ($ec / $lc))")"
} | tee "$OUT/client.md"
