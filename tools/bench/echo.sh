#!/usr/bin/env bash
# Echo benchmark: our echo server (tools/cmd/echo) against gnet v2, the standard library and the
# C floor (floor/tcp_echo.c: one thread, level-triggered epoll, read then write), measured in the
# same run, alternating the servers round after round. See README.md.
#
# Settings (environment):
#   ROUNDS=3          rounds per scenario; every round runs each server once, A B C A B C
#   DURATION=5s       measured window per run (a Go duration)
#   WARMUP=1s         unmeasured warm-up before the window
#   SERVERS="ours gnetv2 net floor"   (and base, when BASE is set)
#   BASE=             a git revision of this repository: its tools/cmd/echo runs as the server
#                     "base", beside ours in the same rounds (SERVERS="ours base floor", say),
#                     to measure a change against the code before it
#   SCENARIOS="echo64 echo64x16 echo4k length64x16 churn memory"
#   IDLE_CONNS=10000  connections of the memory scenario
#   SERVER_CPU=1 CLIENT_CPU=0   cores the server and the load generator are pinned to
#   PORT=19100        first TCP port; each server start takes the next one
#   OUT=tools/bench/out         where echo.md and echo.tsv are written (default: in this repository)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-1s}
SERVERS=${SERVERS:-ours gnetv2 net floor}
BASE=${BASE:-}
SCENARIOS=${SCENARIOS:-echo64 echo64x16 echo4k length64x16 churn memory}
IDLE_CONNS=${IDLE_CONNS:-10000}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
PORT=${PORT:-19100}
OUT=${OUT:-$repo_dir/tools/bench/out}

# Lines the load generator writes on stderr at the edges of its measured window
# (tools/cmd/loadgen/window.go), and on stdout once idle connections are open (idle.go).
readonly MARK_MEASURING="loadgen: warm-up done, measuring"
readonly MARK_MEASURED="loadgen: measurement done"
readonly MARK_ESTABLISHED="loadgen: established"

start_work gnet-bench
bin=$work/bin

# ---------------------------------------------------------------- setup

server_binary() {
	case $1 in
	ours) echo echo ;;
	gnetv2) echo gnetv2echo ;;
	net) echo netecho ;;
	floor) echo tcp_echo ;;
	base)
		[[ -n $BASE ]] || die "SERVERS has base but BASE names no revision"
		echo echo-base
		;;
	*) die "unknown server '$1' in SERVERS (choose among: ours gnetv2 net floor base)" ;;
	esac
}

server_label() {
	case $1 in
	ours) echo "ours" ;;
	gnetv2) echo "gnet v2" ;;
	net) echo "std net" ;;
	floor) echo "C floor" ;;
	base) echo "base (ours at $BASE)" ;;
	esac
}

# scenario NAME sets: kind (echo|churn|memory), size, conns, inflight, frame, codec, unit
# (of throughput), title.
scenario() {
	kind=echo frame=none codec=none unit=msg
	case $1 in
	echo64) size=64 conns=100 inflight=1 title="echo 64 B, 100 conns, 1 in flight" ;;
	echo64x16) size=64 conns=100 inflight=16 title="echo 64 B, 100 conns, 16 in flight" ;;
	echo4k) size=4096 conns=50 inflight=1 title="echo 4 KiB, 50 conns, 1 in flight" ;;
	length64x16)
		size=64 conns=100 inflight=16 frame=length codec=length
		title="length-prefixed 64 B, 100 conns, 16 in flight (ours -codec length; peers passthrough)"
		;;
	churn)
		kind=churn size=64 conns=50 inflight=1 unit=conn
		title="connection churn: 50 clients, each connect, one 64 B echo, close"
		;;
	memory) kind=memory title="memory per idle connection, $IDLE_CONNS conns" ;;
	*) die "unknown scenario '$1' in SCENARIOS (choose among: echo64 echo64x16 echo4k length64x16 churn memory)" ;;
	esac
}

build_all() {
	mkdir -p "$bin"
	build loadgen ./cmd/loadgen || die "cannot build ./cmd/loadgen"
	local server
	for server in $SERVERS; do
		case $server in
		ours)
			build echo ./cmd/echo ||
				die "cannot build ./cmd/echo (ours), see above; run SERVERS='gnetv2 net' $0 to measure only the peers"
			;;
		gnetv2) build gnetv2echo ./bench/peers/gnetv2echo || die "cannot build the gnet v2 peer" ;;
		net) build netecho ./bench/peers/netecho || die "cannot build the std net peer" ;;
		floor) build_floor tcp_echo || die "cannot build floor/tcp_echo.c" ;;
		base) build_at_revision "$BASE" echo-base ./cmd/echo || die "cannot build ./cmd/echo at $BASE" ;;
		esac
	done
}

print_environment() {
	print_machine
	echo "- settings: ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP, server on CPU $SERVER_CPU with -loops 1," \
		"loadgen on CPU $CLIENT_CPU"
}

# ---------------------------------------------------------------- processes

# start_server SERVER CODEC sets server_pid and port once the server accepts connections.
start_server() {
	local server=$1 codec=$2 binary
	binary=$(server_binary "$server")
	next_port
	local args=(-addr "tcp://127.0.0.1:$port" -loops 1)
	if [[ $server == floor ]]; then
		args=("$port")
	elif [[ ($server == ours || $server == base) && $codec != none ]]; then
		args+=(-codec "$codec")
	fi

	server_log=$work/server.log
	taskset -c "$SERVER_CPU" "$bin/$binary" "${args[@]}" >"$server_log" 2>&1 &
	server_pid=$!
	await_server "$(server_label "$server") ($bin/$binary ${args[*]})" accepts "$port"
}

rss_kb() {
	local key value
	while read -r key value _; do
		if [[ $key == VmRSS: ]]; then
			echo "$value"
			return 0
		fi
	done <"/proc/$server_pid/status"
	die "no VmRSS for pid $server_pid"
}

open_fds() {
	local fds=("/proc/$server_pid/fd"/*)
	echo "${#fds[@]}"
}

# ---------------------------------------------------------------- measurements

# measure NAME SERVER ROUND: one run of a scenario against one server (run_rounds calls it).
measure() {
	case $kind in
	memory) measure_memory "$2" "$3" ;;
	churn) measure_churn "$1" "$2" "$3" ;;
	*) measure_echo "$1" "$2" "$3" ;;
	esac
}

declare -A samples

# measure_echo SCENARIO SERVER ROUND: one server run of an echo scenario.
measure_echo() {
	local name=$1 server=$2 round=$3 label
	label=$(server_label "$server")
	start_server "$server" "$codec"

	local result=$work/result.json
	measure_window "$label" "$result" -addr "tcp://127.0.0.1:$port" \
		-conns "$conns" -size "$size" -inflight "$inflight" -frame "$frame" \
		-warmup "$WARMUP" -duration "$DURATION" -json

	local msgs mbs p99 messages seconds client_cpu cpu server_busy client_busy
	msgs=$(json_number msgs_per_sec "$result")
	mbs=$(json_number mb_per_sec "$result")
	p99=$(json_number p99_us "$result")
	messages=$(json_number messages "$result")
	seconds=$(json_number seconds "$result")
	client_cpu=$(json_number loadgen_cpu_seconds "$result")
	((messages > 0)) || die "no message was echoed by $label ($name)"
	cpu=$(per_op $((window_user + window_system)) "$messages")
	server_busy=$(busy_percent $((window_user + window_system)) "$seconds")
	client_busy=$(awk -v c="$client_cpu" -v s="$seconds" 'BEGIN { printf "%.1f", c / s * 100 }')
	record "$name|$server|msgs" "$msgs"
	record "$name|$server|mbs" "$mbs"
	record "$name|$server|p99" "$p99"
	record "$name|$server|cpu" "$cpu"
	record "$name|$server|server_busy" "$server_busy"
	record "$name|$server|client_busy" "$client_busy"
	printf '  round %d  %-8s %10.0f msg/s %8.2f MB/s  p99 %9.1f µs  server %7.3f µs/msg, busy %3.0f%%  loadgen busy %3.0f%%\n' \
		"$round" "$label" "$msgs" "$mbs" "$p99" "$cpu" "$server_busy" "$client_busy"
}

# measure_churn SCENARIO SERVER ROUND: one server run of the churn scenario: connections per
# second, and the server's user and system CPU time per connection.
measure_churn() {
	local name=$1 server=$2 round=$3 label
	label=$(server_label "$server")
	start_server "$server" none

	local result=$work/result.json
	measure_window "$label" "$result" -addr "tcp://127.0.0.1:$port" -churn -conns "$conns" -size "$size" \
		-warmup "$WARMUP" -duration "$DURATION" -json

	local conns_per_sec p99 connections seconds client_cpu user system cpu server_busy client_busy
	conns_per_sec=$(json_number conns_per_sec "$result")
	p99=$(json_number p99_us "$result")
	connections=$(json_number connections "$result")
	seconds=$(json_number seconds "$result")
	client_cpu=$(json_number loadgen_cpu_seconds "$result")
	((connections > 0)) || die "no connection was completed with $label ($name)"
	user=$(per_op "$window_user" "$connections")
	system=$(per_op "$window_system" "$connections")
	cpu=$(per_op $((window_user + window_system)) "$connections")
	server_busy=$(busy_percent $((window_user + window_system)) "$seconds")
	client_busy=$(awk -v c="$client_cpu" -v s="$seconds" 'BEGIN { printf "%.1f", c / s * 100 }')
	record "$name|$server|msgs" "$conns_per_sec"
	record "$name|$server|p99" "$p99"
	record "$name|$server|user" "$user"
	record "$name|$server|system" "$system"
	record "$name|$server|cpu" "$cpu"
	record "$name|$server|server_busy" "$server_busy"
	record "$name|$server|client_busy" "$client_busy"
	printf '  round %d  %-8s %10.0f conn/s  p99 %9.1f µs  server %7.3f µs user + %7.3f µs system per conn, busy %3.0f%%  loadgen busy %3.0f%%\n' \
		"$round" "$label" "$conns_per_sec" "$p99" "$user" "$system" "$server_busy" "$client_busy"
}

# servers_output prints the server's log, for lib.sh's loadgen_failed.
servers_output() {
	echo "server output:"
	cat "$server_log"
}

# measure_memory SERVER ROUND: resident memory a server gains per idle connection.
measure_memory() {
	local server=$1 round=$2 label
	label=$(server_label "$server")
	start_server "$server" none

	local before_kb fds_before out
	before_kb=$(rss_kb)
	fds_before=$(open_fds)
	loadgen_output=""
	exec {out}< <(taskset -c "$CLIENT_CPU" "$bin/loadgen" -addr "tcp://127.0.0.1:$port" \
		-idle "$IDLE_CONNS" -hold 10m 2>&1)
	loadgen_pid=$!
	if ! wait_for_line "$out" "$MARK_ESTABLISHED"; then
		die "loadgen could not open $IDLE_CONNS idle connections to $label:"$'\n'"$loadgen_output"
	fi
	# The client's connect completes from the listen backlog; wait until the server itself
	# holds every connection, then give it a moment to finish setting them up.
	for _ in $(seq 300); do
		(($(open_fds) >= fds_before + IDLE_CONNS)) && break
		sleep 0.1
	done
	(($(open_fds) >= fds_before + IDLE_CONNS)) || die "$label accepted only $(($(open_fds) - fds_before)) connections"
	sleep 1

	local after_kb per_conn
	after_kb=$(rss_kb)
	# loadgen closes its connections and exits 0 on SIGTERM. How it ends does not change the
	# figures, which are already taken.
	kill -TERM "$loadgen_pid" 2>/dev/null || true
	wait "$loadgen_pid" || true
	loadgen_pid=""
	exec {out}<&-
	stop_server

	per_conn=$(awk -v a="$after_kb" -v b="$before_kb" -v n="$IDLE_CONNS" 'BEGIN { printf "%.3f", (a - b) / n }')
	record "memory|$server|kb" "$per_conn"
	printf '  round %d  %-8s RSS %7d → %7d KB   %7.3f KB per idle connection\n' \
		"$round" "$label" "$before_kb" "$after_kb" "$per_conn"
}

# ---------------------------------------------------------------- report

echo_table() {
	echo "| scenario | server | msgs/s | MB/s | p99 µs | server CPU µs/msg | server busy % | loadgen busy % | msgs/s vs gnet v2 | CPU/msg vs gnet v2 | msgs/s vs net | CPU/msg vs net | msgs/s vs floor | CPU/msg vs floor |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	local name server
	for name in $SCENARIOS; do
		scenario "$name"
		[[ $kind == echo ]] || continue
		for server in $SERVERS; do
			printf '| %s | %s | %.0f | %.2f | %.0f | %.3f | %.0f | %.0f | %s | %s | %s | %s | %s | %s |\n' \
				"$title" "$(server_label "$server")" "$(median_of "$name|$server|msgs")" \
				"$(median_of "$name|$server|mbs")" "$(median_of "$name|$server|p99")" \
				"$(median_of "$name|$server|cpu")" "$(median_of "$name|$server|server_busy")" \
				"$(median_of "$name|$server|client_busy")" \
				"$(vs "$server" "$name" gnetv2 msgs)" "$(vs "$server" "$name" gnetv2 cpu)" \
				"$(vs "$server" "$name" net msgs)" "$(vs "$server" "$name" net cpu)" \
				"$(vs "$server" "$name" floor msgs)" "$(vs "$server" "$name" floor cpu)"
		done
	done
}

churn_table() {
	echo "| scenario | server | conns/s | p99 µs | server CPU µs/conn, user | system | total | server busy % | loadgen busy % | conns/s vs gnet v2 | CPU/conn vs gnet v2 | conns/s vs floor | CPU/conn vs floor |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	local name server
	for name in $SCENARIOS; do
		scenario "$name"
		[[ $kind == churn ]] || continue
		for server in $SERVERS; do
			printf '| %s | %s | %.0f | %.0f | %.3f | %.3f | %.3f | %.0f | %.0f | %s | %s | %s | %s |\n' \
				"$title" "$(server_label "$server")" "$(median_of "$name|$server|msgs")" \
				"$(median_of "$name|$server|p99")" "$(median_of "$name|$server|user")" \
				"$(median_of "$name|$server|system")" "$(median_of "$name|$server|cpu")" \
				"$(median_of "$name|$server|server_busy")" "$(median_of "$name|$server|client_busy")" \
				"$(vs "$server" "$name" gnetv2 msgs)" "$(vs "$server" "$name" gnetv2 cpu)" \
				"$(vs "$server" "$name" floor msgs)" "$(vs "$server" "$name" floor cpu)"
		done
	done
}

memory_table() {
	echo "| server | KB per idle connection ($IDLE_CONNS conns) | vs gnet v2 | vs floor | rounds |"
	echo "|---|---:|---:|---:|---|"
	local server
	for server in $SERVERS; do
		printf '| %s | %.3f | %s | %s | %s |\n' "$(server_label "$server")" "$(median_of "memory|$server|kb")" \
			"$(vs "$server" memory gnetv2 kb)" "$(vs "$server" memory floor kb)" "${samples["memory|$server|kb"]% }"
	done
}

# ---------------------------------------------------------------- main

main() {
	check_settings server_binary
	local server name round
	local kinds=" "
	for name in $SCENARIOS; do
		scenario "$name"
		kinds+="$kind "
	done

	if [[ " $SCENARIOS " == *" memory "* ]] && (($(ulimit -n) < IDLE_CONNS + 1000)); then
		ulimit -n $((IDLE_CONNS + 1000)) 2>/dev/null ||
			die "the memory scenario needs $((IDLE_CONNS + 1000)) file descriptors; ulimit -n is $(ulimit -n)"
	fi

	local environment
	environment=$(print_environment)
	echo "# Echo benchmark"
	echo
	echo "$environment"
	echo
	echo "building into $bin"
	build_all

	run_rounds

	local report
	report=$(
		report_head "Echo benchmark"
		echo
		echo "Medians over $ROUNDS rounds. p99 is per round trip of a batch of in-flight messages (churn:"
		echo "per connection, connect to checked echo); server CPU is user + system time from"
		echo "/proc/PID/stat over the measured window. Ratios are of medians, row ÷ column."
		if [[ $kinds == *" echo "* ]]; then
			echo
			echo_table
		fi
		if [[ $kinds == *" churn "* ]]; then
			echo
			churn_table
		fi
		if [[ $kinds == *" memory "* ]]; then
			echo
			memory_table
		fi
	)
	publish echo "$report" "$(tsv_rows msgs "")"
}

main "$@"
