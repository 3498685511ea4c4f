#!/usr/bin/env bash
# L4 proxy benchmark: our proxy (tools/cmd/proxy) against HAProxy in TCP mode, both in front of
# the same echo backend and driven by the same load generator, alternating the proxies round
# after round; a "direct" row (the load generator straight to the backend) shows what the
# proxy hop costs. See README.md.
#
#   taskset -c CLIENT_CPU  echo -loops 1 -quiet                       the backend, for the whole run
#   taskset -c SERVER_CPU  proxy -loops 1 -quiet -backends BACKEND    or: haproxy -f CFG -db (nbthread 1)
#   taskset -c CLIENT_CPU  loadgen -addr PROXY -conns CONNS -size S -inflight K -json
#
# Settings (environment):
#   ROUNDS=3          rounds per scenario; every round runs each entry of SERVERS once, A B C A B C
#   DURATION=5s       measured window per run (a Go duration)
#   WARMUP=1s         unmeasured warm-up before the window
#   SERVERS="ours haproxy direct"   haproxy-splice (HAProxy with splice-auto) may be added
#   SCENARIOS="echo64 echo64x16 echo4k"   echo64k may be added
#   CONNS=50          client connections (each becomes a client-proxy and a proxy-backend pair)
#   SERVER_CPU=1 CLIENT_CPU=0   the proxy's core; the backend's and the load generator's core
#   PORT=19800        first TCP port tried; the backend and every proxy start take the next free one
#   OURS_ARGS=        extra flags for our proxy, to measure one of its options
#   PROFILE_DIR=      when set, ours runs with -cpuprofile and leaves one profile per run there
#   OUT=tools/bench/out         where proxy.md and proxy.tsv are written (default: in this repository)
#
# HAProxy comes from Debian's haproxy package, installed when missing without starting its
# service (lib.sh, need_packages). Should a packaged HAProxy run anyway, this script leaves it
# alone: it runs its own haproxy in the foreground (-db) with a configuration in its work
# folder, on its own port, and measures that process only.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-1s}
SERVERS=${SERVERS:-ours haproxy direct}
SCENARIOS=${SCENARIOS:-echo64 echo64x16 echo4k}
CONNS=${CONNS:-50}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
PORT=${PORT:-19800}
OURS_ARGS=${OURS_ARGS:-}
PROFILE_DIR=${PROFILE_DIR:-}
OUT=${OUT:-$repo_dir/tools/bench/out}

# Lines the load generator writes on stderr at the edges of its measured window
# (tools/cmd/loadgen/window.go).
readonly MARK_MEASURING="loadgen: warm-up done, measuring"
readonly MARK_MEASURED="loadgen: measurement done"

start_work gnet-proxy-bench
bin=$work/bin
backend_pid=""

# cleanup replaces lib.sh's: the backend must not outlive the script either.
cleanup() {
	local pid
	for pid in "${loadgen_pid:-}" "${server_pid:-}" "${backend_pid:-}"; do
		if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
			# Reaping it keeps bash from reporting the kill; its status means nothing now.
			wait "$pid" 2>/dev/null || true
		fi
	done
	remove_placed_policy
	rm -rf "$work"
}

# ---------------------------------------------------------------- setup

server_label() {
	case $1 in
	ours) echo "ours" ;;
	haproxy) echo "HAProxy" ;;
	haproxy-splice) echo "HAProxy splice-auto" ;;
	direct) echo "direct" ;;
	*) die "unknown entry '$1' in SERVERS (choose among: ours haproxy haproxy-splice direct)" ;;
	esac
}

is_haproxy() {
	[[ $1 == haproxy || $1 == haproxy-splice ]]
}

# scenario NAME sets: size, inflight, title.
scenario() {
	case $1 in
	echo64) size=64 inflight=1 title="64 B, $CONNS conns, 1 in flight" ;;
	echo64x16) size=64 inflight=16 title="64 B, $CONNS conns, 16 in flight" ;;
	echo4k) size=4096 inflight=1 title="4 KiB, $CONNS conns, 1 in flight" ;;
	echo64k) size=65536 inflight=1 title="64 KiB, $CONNS conns, 1 in flight" ;;
	*) die "unknown scenario '$1' in SCENARIOS (choose among: echo64 echo64x16 echo4k echo64k)" ;;
	esac
}

build_all() {
	mkdir -p "$bin"
	build loadgen ./cmd/loadgen || die "cannot build ./cmd/loadgen"
	build echo ./cmd/echo || die "cannot build ./cmd/echo (the backend)"
	if has_server ours; then
		build proxy ./cmd/proxy ||
			die "cannot build ./cmd/proxy (ours), see above; run SERVERS='haproxy direct' $0 to measure HAProxy alone"
	fi
}

wants_haproxy() {
	has_server haproxy || has_server haproxy-splice
}

print_environment() {
	print_machine
	if wants_haproxy; then
		echo "- haproxy: $(haproxy -v 2>/dev/null | head -n1)"
		local others
		others=$(pgrep -x haproxy | tr '\n' ' ' || true)
		echo "- haproxy processes this script did not start (left alone): ${others:-none}"
	fi
	echo "- settings: ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CONNS=$CONNS;" \
		"proxy on CPU $SERVER_CPU (ours: -loops 1${OURS_ARGS:+ $OURS_ARGS}; HAProxy: mode tcp, nbthread 1);" \
		"backend (echo -loops 1) and loadgen on CPU $CLIENT_CPU"
}

# ---------------------------------------------------------------- processes

# start_backend sets backend_pid and backend_port: one echo server for the whole run, on the
# load generator's core, so that the proxy's core holds the proxy alone.
start_backend() {
	next_port
	backend_port=$port
	backend_log=$work/backend.log
	taskset -c "$CLIENT_CPU" "$bin/echo" -addr "tcp://127.0.0.1:$backend_port" -loops 1 -quiet >"$backend_log" 2>&1 &
	backend_pid=$!
	for _ in $(seq 100); do
		kill -0 "$backend_pid" 2>/dev/null || die "the backend (echo) exited at start:"$'\n'"$(cat "$backend_log")"
		accepts "$backend_port" && return 0
		sleep 0.05
	done
	die "the backend (echo) did not accept connections on port $backend_port within 5 s"
}

# write_haproxy_config SERVER PORT writes $work/haproxy.cfg: one frontend on PORT relaying to
# the backend, checked every second as our proxy checks it by default. The timeouts are far
# above any round trip. HAProxy copies through user space unless told to splice; the
# haproxy-splice entry lets it splice both ways where it judges it worth it (splice-auto).
write_haproxy_config() {
	local splice=""
	if [[ $1 == haproxy-splice ]]; then
		splice="    option splice-auto"
	fi
	cat >"$work/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn $((CONNS * 2 + 1000))

defaults
    mode tcp
    timeout connect 3s
    timeout client 1m
    timeout server 1m
$splice

frontend bench
    bind 127.0.0.1:$2
    default_backend echo

backend echo
    server echo1 127.0.0.1:$backend_port check inter 1s
EOF
}

# start_proxy SERVER NAME ROUND sets target_port (what the load generator dials) and, for a
# proxy, server_pid once it accepts connections.
start_proxy() {
	local server=$1 name=$2 round=$3
	kill -0 "$backend_pid" 2>/dev/null || die "the backend exited:"$'\n'"$(cat "$backend_log")"
	if [[ $server == direct ]]; then
		target_port=$backend_port
		return 0
	fi
	next_port
	target_port=$port
	local cmd
	if is_haproxy "$server"; then
		write_haproxy_config "$server" "$port"
		cmd=(haproxy -f "$work/haproxy.cfg" -db)
	else
		cmd=("$bin/proxy" -addr "tcp://127.0.0.1:$port" -loops 1 -quiet -backends "127.0.0.1:$backend_port")
		if [[ -n $OURS_ARGS ]]; then
			local extra
			read -r -a extra <<<"$OURS_ARGS"
			cmd+=("${extra[@]}")
		fi
		if [[ -n $PROFILE_DIR ]]; then
			mkdir -p "$PROFILE_DIR"
			cmd+=(-cpuprofile "$PROFILE_DIR/proxy-$name-round$round.pprof")
		fi
	fi
	server_log=$work/server.log
	taskset -c "$SERVER_CPU" "${cmd[@]}" >"$server_log" 2>&1 &
	server_pid=$!
	await_server "$(server_label "$server") (${cmd[*]})" accepts "$port"
}

# ---------------------------------------------------------------- measurements

declare -A samples

# sample_ticks sets proxy_ticks (0 on the direct path) and backend_ticks, or fails when a
# process has gone.
sample_ticks() {
	proxy_ticks=0
	if [[ -n $server_pid ]]; then
		cpu_ticks "$server_pid" || return 1
		proxy_ticks=$ticks
	fi
	cpu_ticks "$backend_pid" || return 1
	backend_ticks=$ticks
}

# measure SCENARIO SERVER ROUND: one run of the load through one proxy (or none).
measure() {
	local name=$1 server=$2 round=$3 label
	label=$(server_label "$server")
	start_proxy "$server" "$name" "$round"

	local result=$work/result.json marks status=0 proxy_before backend_before proxy_after backend_after
	loadgen_output=""
	exec {marks}< <(taskset -c "$CLIENT_CPU" "$bin/loadgen" -addr "tcp://127.0.0.1:$target_port" \
		-conns "$CONNS" -size "$size" -inflight "$inflight" \
		-warmup "$WARMUP" -duration "$DURATION" -json 2>&1 >"$result")
	loadgen_pid=$!
	wait_for_line "$marks" "$MARK_MEASURING" || loadgen_failed "$marks" "$label" "never started measuring"
	sample_ticks || loadgen_failed "$marks" "$label" "saw the proxy or the backend exit"
	proxy_before=$proxy_ticks backend_before=$backend_ticks
	wait_for_line "$marks" "$MARK_MEASURED" || loadgen_failed "$marks" "$label" "stopped before the end of its window"
	sample_ticks || loadgen_failed "$marks" "$label" "saw the proxy or the backend exit"
	proxy_after=$proxy_ticks backend_after=$backend_ticks
	loadgen_output+=$(cat <&"$marks")
	exec {marks}<&-
	wait "$loadgen_pid" || status=$?
	loadgen_pid=""
	if [[ -n $server_pid ]]; then
		stop_server
	fi
	if ((status != 0)); then
		die "loadgen reported errors through $label ($name, exit status $status):"$'\n'"$loadgen_output"
	fi

	local msgs mbs p50 p99 messages seconds client_cpu cpu proxy_busy client_busy
	msgs=$(json_number msgs_per_sec "$result")
	mbs=$(json_number mb_per_sec "$result")
	p50=$(json_number p50_us "$result")
	p99=$(json_number p99_us "$result")
	messages=$(json_number messages "$result")
	seconds=$(json_number seconds "$result")
	client_cpu=$(json_number loadgen_cpu_seconds "$result")
	((messages > 0)) || die "no message came back through $label ($name)"
	cpu=$(awk -v t=$((proxy_after - proxy_before)) -v hz="$clk_tck" -v m="$messages" 'BEGIN { printf "%.3f", t / hz * 1e6 / m }')
	proxy_busy=$(awk -v t=$((proxy_after - proxy_before)) -v hz="$clk_tck" -v s="$seconds" 'BEGIN { printf "%.1f", t / hz / s * 100 }')
	# The client core holds the load generator and the backend: near 100% it, not the proxy,
	# bounds the throughput.
	client_busy=$(awk -v c="$client_cpu" -v t=$((backend_after - backend_before)) -v hz="$clk_tck" -v s="$seconds" \
		'BEGIN { printf "%.1f", (c + t / hz) / s * 100 }')
	record "$name|$server|msgs" "$msgs"
	record "$name|$server|mbs" "$mbs"
	record "$name|$server|p50" "$p50"
	record "$name|$server|p99" "$p99"
	record "$name|$server|cpu" "$cpu"
	record "$name|$server|proxy_busy" "$proxy_busy"
	record "$name|$server|client_busy" "$client_busy"
	local proxy_cost="proxy   —      µs/msg, busy   —"
	if [[ $server != direct ]]; then
		proxy_cost=$(printf 'proxy %7.3f µs/msg, busy %3.0f%%' "$cpu" "$proxy_busy")
	fi
	printf '  round %d  %-19s %9.0f msg/s %8.2f MB/s  p50 %8.1f µs  p99 %9.1f µs  %s  client core busy %3.0f%%\n' \
		"$round" "$label" "$msgs" "$mbs" "$p50" "$p99" "$proxy_cost" "$client_busy"
}

# servers_output prints the proxy's and the backend's logs, for lib.sh's loadgen_failed.
servers_output() {
	echo "proxy output:"
	if [[ -n $server_pid ]]; then
		cat "$server_log"
	else
		echo "(none: direct)"
	fi
	echo "backend output:"
	cat "$backend_log"
}

# ---------------------------------------------------------------- report

table() {
	echo "| scenario | path | msgs/s | MB/s | p50 µs | p99 µs | proxy CPU µs/msg | proxy busy % | client core busy % | msgs/s vs HAProxy | p99 vs HAProxy | CPU/msg vs HAProxy |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	local name server msgs mbs p50 p99 cpu proxy_busy client_busy vs_thr vs_p99 vs_cpu
	for name in $SCENARIOS; do
		scenario "$name"
		for server in $SERVERS; do
			msgs=$(median_of "$name|$server|msgs")
			mbs=$(median_of "$name|$server|mbs")
			p50=$(median_of "$name|$server|p50")
			p99=$(median_of "$name|$server|p99")
			cpu=$(median_of "$name|$server|cpu")
			proxy_busy=$(median_of "$name|$server|proxy_busy")
			client_busy=$(median_of "$name|$server|client_busy")
			vs_thr="" vs_p99="" vs_cpu=""
			if [[ $server != haproxy ]] && has_server haproxy; then
				vs_thr=$(ratio "$msgs" "$(median_of "$name|haproxy|msgs")")
				vs_p99=$(ratio "$p99" "$(median_of "$name|haproxy|p99")")
				if [[ $server != direct ]]; then
					vs_cpu=$(ratio "$cpu" "$(median_of "$name|haproxy|cpu")")
				fi
			fi
			if [[ $server == direct ]]; then
				cpu="—" proxy_busy="—"
			else
				cpu=$(printf '%.3f' "$cpu")
				proxy_busy=$(printf '%.0f' "$proxy_busy")
			fi
			printf '| %s | %s | %.0f | %.2f | %.0f | %.0f | %s | %s | %.0f | %s | %s | %s |\n' \
				"$title" "$(server_label "$server")" "$msgs" "$mbs" "$p50" "$p99" "$cpu" "$proxy_busy" "$client_busy" \
				"$vs_thr" "$vs_p99" "$vs_cpu"
		done
	done
}

# tsv prints the rows of proxy.tsv; the direct path has no proxy, so no proxy CPU.
tsv() {
	local name server cpu
	for name in $SCENARIOS; do
		scenario "$name"
		for server in $SERVERS; do
			cpu=-
			if [[ $server != direct ]]; then
				cpu=$(median_of "$name|$server|cpu")
			fi
			tsv_row "$name" "$title" "$server" "$(server_label "$server")" msg/s \
				"$(median_of "$name|$server|msgs")" "$cpu" "$(median_of "$name|$server|p99")" -
		done
	done
}

# ---------------------------------------------------------------- main

main() {
	check_settings server_label
	if wants_haproxy; then
		need_packages haproxy:haproxy
	fi

	local environment name round server
	environment=$(print_environment)
	echo "# L4 proxy benchmark"
	echo
	echo "$environment"
	echo
	echo "building into $bin"
	build_all
	start_backend

	run_rounds

	local report
	report=$(
		report_head "L4 proxy benchmark"
		echo
		echo "Medians over $ROUNDS rounds. A message is one round trip client → proxy → backend → proxy"
		echo "→ client; p50/p99 are per round trip of a batch of in-flight messages. Proxy CPU is the"
		echo "proxy's user + system time from /proc/PID/stat over the measured window, divided by the"
		echo "messages; client core busy is the load generator's and the backend's CPU time over the"
		echo "window, as a share of their one core (near 100%: the client side bounds the throughput)."
		echo "Ratios are ours (or another path) ÷ HAProxy: throughput wants > 1, p99 and CPU/msg < 1."
		echo
		table
	)
	publish proxy "$report" "$(tsv)"
}

main "$@"
