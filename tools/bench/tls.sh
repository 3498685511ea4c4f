#!/usr/bin/env bash
# TLS benchmark: our echo server with -tls-cert/-tls-key (TLS on the event loop) against the
# standard library (peers/nettlsecho: a crypto/tls listener, one goroutine per connection),
# measured in the same run, alternating the servers round after round (A B A B ...).
#
# Scenarios:
#   echo64      echo over TLS, 64 B messages, 100 connections, 1 in flight (handshakes are
#               done before the window: this is the record layer's cost)
#   handshakes  full TLS handshakes per second: HANDSHAKE_CONNS goroutines each connect,
#               handshake (no resumption), send close_notify and wait for the server's, again
#               and again
#
# The certificate is a throwaway ECDSA P-256 one that openssl makes in the temporary folder;
# no key is kept. The load generator does not verify it (-tls-insecure).
#
# Settings (environment):
#   ROUNDS=3          rounds per scenario; every round runs each server once
#   DURATION=5s       measured window per run (a Go duration)
#   WARMUP=1s         unmeasured warm-up before the window
#   SERVERS="ours nettls"
#   SCENARIOS="echo64 handshakes"
#   HANDSHAKE_CONNS=8 goroutines of the handshakes scenario
#   SERVER_CPU=1 CLIENT_CPU=0   cores the server and the load generator are pinned to
#   PORT=19300        first TCP port; each server start takes the next one
#   OUT=tools/bench/out         where tls.md and tls.tsv are written (default: in this repository)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-1s}
SERVERS=${SERVERS:-ours nettls}
SCENARIOS=${SCENARIOS:-echo64 handshakes}
HANDSHAKE_CONNS=${HANDSHAKE_CONNS:-8}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
PORT=${PORT:-19300}
OUT=${OUT:-$repo_dir/tools/bench/out}

# Lines the load generator writes on stderr at the edges of its measured window
# (tools/cmd/loadgen/window.go).
readonly MARK_MEASURING="loadgen: warm-up done, measuring"
readonly MARK_MEASURED="loadgen: measurement done"

# The temporary folder holds the throwaway key; start_work removes it whatever ends the script.
start_work gnet-tls-bench
bin=$work/bin
cert=$work/cert.pem
key=$work/key.pem

# ---------------------------------------------------------------- setup

server_binary() {
	case $1 in
	ours) echo echo ;;
	nettls) echo nettlsecho ;;
	*) die "unknown server '$1' in SERVERS (choose among: ours nettls)" ;;
	esac
}

server_label() {
	case $1 in
	ours) echo "ours" ;;
	nettls) echo "std crypto/tls" ;;
	esac
}

# scenario NAME sets: mode (echo|handshakes), conns, title, unit.
scenario() {
	case $1 in
	echo64) mode=echo conns=100 unit=msg title="TLS echo 64 B, 100 conns, 1 in flight" ;;
	handshakes)
		mode=handshakes conns=$HANDSHAKE_CONNS unit=handshake
		title="full TLS handshakes, $HANDSHAKE_CONNS goroutines connecting in a loop"
		;;
	*) die "unknown scenario '$1' in SCENARIOS (choose among: echo64 handshakes)" ;;
	esac
}

build_all() {
	mkdir -p "$bin"
	build loadgen ./cmd/loadgen || die "cannot build ./cmd/loadgen"
	local server
	for server in $SERVERS; do
		case $server in
		ours) build echo ./cmd/echo || die "cannot build ./cmd/echo (ours), see above; run SERVERS=nettls $0 to measure only the peer" ;;
		nettls) build nettlsecho ./bench/peers/nettlsecho || die "cannot build the crypto/tls peer" ;;
		esac
	done
}

make_certificate() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$key" -out "$cert" -days 1 -subj /CN=localhost \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>"$work/openssl.log" ||
		die "openssl could not make the throwaway certificate:"$'\n'"$(cat "$work/openssl.log")"
}

print_environment() {
	print_machine
	echo "- certificate: ECDSA P-256, self-signed; TLS 1.3 with the Go defaults on both sides"
	echo "- settings: ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP, server on CPU $SERVER_CPU with -loops 1," \
		"loadgen on CPU $CLIENT_CPU"
}

# ---------------------------------------------------------------- processes

# listening PORT succeeds when a TCP socket listens on PORT. It reads /proc/net/tcp rather
# than connecting: a probe connection that closes before its TLS handshake would be one
# more (aborted) connection for the server to handle during the measurement.
listening() {
	local hex table local_address state
	printf -v hex ':%04X' "$1"
	for table in /proc/net/tcp /proc/net/tcp6; do
		[[ -r $table ]] || continue
		while read -r _ local_address _ state _; do
			if [[ $local_address == *"$hex" && $state == 0A ]]; then
				return 0
			fi
		done <"$table"
	done
	return 1
}

# start_server SERVER sets server_pid and port once the server listens.
start_server() {
	local server=$1 binary
	binary=$(server_binary "$server")
	next_port
	local args=(-addr "tcp://127.0.0.1:$port" -loops 1 -tls-cert "$cert" -tls-key "$key")
	if [[ $server == ours ]]; then
		args+=(-quiet)
	fi

	server_log=$work/server.log
	taskset -c "$SERVER_CPU" "$bin/$binary" "${args[@]}" >"$server_log" 2>&1 &
	server_pid=$!
	await_server "$(server_label "$server") ($bin/$binary ${args[*]})" listening "$port"
}

# ---------------------------------------------------------------- measurements

declare -A samples

# measure SCENARIO SERVER ROUND: one server run of a scenario.
measure() {
	local name=$1 server=$2 round=$3 label
	label=$(server_label "$server")
	start_server "$server"

	local load_args=(-addr "tcp://127.0.0.1:$port" -tls-insecure -conns "$conns"
		-warmup "$WARMUP" -duration "$DURATION" -json)
	local rate_field count_field
	if [[ $mode == handshakes ]]; then
		load_args+=(-handshakes)
		rate_field=handshakes_per_sec count_field=handshakes
	else
		load_args+=(-size 64 -inflight 1)
		rate_field=msgs_per_sec count_field=messages
	fi

	# The load generator reports its own CPU time over the window (loadgen_cpu_seconds): it
	# may have exited by the time the end marker is read, so /proc is no place to look.
	local result=$work/result.json marks status=0 server_before server_after
	loadgen_output=""
	exec {marks}< <(taskset -c "$CLIENT_CPU" "$bin/loadgen" "${load_args[@]}" 2>&1 >"$result")
	loadgen_pid=$!
	if ! wait_for_line "$marks" "$MARK_MEASURING"; then
		die "loadgen against $label never started measuring ($name):"$'\n'"$loadgen_output"
	fi
	cpu_ticks "$server_pid" || die "$label exited during the run ($name)"
	server_before=$ticks
	if ! wait_for_line "$marks" "$MARK_MEASURED"; then
		die "loadgen against $label stopped before the end of its window ($name):"$'\n'"$loadgen_output"
	fi
	cpu_ticks "$server_pid" || die "$label exited during the run ($name)"
	server_after=$ticks
	loadgen_output+=$(cat <&"$marks")
	exec {marks}<&-
	wait "$loadgen_pid" || status=$?
	loadgen_pid=""
	stop_server
	if ((status != 0)); then
		die "loadgen reported errors against $label ($name, exit status $status):"$'\n'"$loadgen_output"
	fi

	local rate p99 count seconds client_cpu cpu server_busy client_busy
	rate=$(json_number "$rate_field" "$result")
	p99=$(json_number p99_us "$result")
	count=$(json_number "$count_field" "$result")
	seconds=$(json_number seconds "$result")
	client_cpu=$(json_number loadgen_cpu_seconds "$result")
	((count > 0)) || die "loadgen counted nothing against $label ($name)"
	cpu=$(awk -v t=$((server_after - server_before)) -v hz="$clk_tck" -v n="$count" \
		'BEGIN { printf "%.3f", t / hz * 1e6 / n }')
	server_busy=$(awk -v t=$((server_after - server_before)) -v hz="$clk_tck" -v s="$seconds" \
		'BEGIN { printf "%.1f", t / hz / s * 100 }')
	client_busy=$(awk -v c="$client_cpu" -v s="$seconds" 'BEGIN { printf "%.1f", c / s * 100 }')
	record "$name|$server|rate" "$rate"
	record "$name|$server|p99" "$p99"
	record "$name|$server|cpu" "$cpu"
	record "$name|$server|server_busy" "$server_busy"
	record "$name|$server|client_busy" "$client_busy"
	printf '  round %d  %-15s %10.0f %s/s  p99 %9.1f µs  server %8.3f µs/%s, busy %3.0f%%  loadgen busy %3.0f%%\n' \
		"$round" "$label" "$rate" "$unit" "$p99" "$cpu" "$unit" "$server_busy" "$client_busy"
}

# ---------------------------------------------------------------- report

table() {
	echo "| scenario | server | ops/s | p99 µs | server CPU µs/op | server busy % | loadgen busy % | ops/s vs std | CPU/op vs std |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	local name server rate p99 cpu server_busy client_busy vs_thr vs_cpu
	for name in $SCENARIOS; do
		scenario "$name"
		for server in $SERVERS; do
			rate=$(median_of "$name|$server|rate")
			p99=$(median_of "$name|$server|p99")
			cpu=$(median_of "$name|$server|cpu")
			server_busy=$(median_of "$name|$server|server_busy")
			client_busy=$(median_of "$name|$server|client_busy")
			vs_thr="" vs_cpu=""
			if [[ $server == ours ]] && has_server nettls; then
				vs_thr=$(ratio "$rate" "$(median_of "$name|nettls|rate")")
				vs_cpu=$(ratio "$cpu" "$(median_of "$name|nettls|cpu")")
			fi
			printf '| %s | %s | %.0f | %.0f | %.3f | %.0f | %.0f | %s | %s |\n' \
				"$title" "$(server_label "$server")" "$rate" "$p99" "$cpu" "$server_busy" "$client_busy" \
				"$vs_thr" "$vs_cpu"
		done
	done
}

# ---------------------------------------------------------------- main

main() {
	check_settings server_binary
	command -v openssl >/dev/null || die "openssl is required to make the throwaway certificate (apt-get install openssl)"
	local server name round

	local environment
	environment=$(print_environment)
	echo "# TLS benchmark"
	echo
	echo "$environment"
	echo
	echo "building into $bin"
	build_all
	make_certificate

	run_rounds

	local report
	report=$(
		report_head "TLS benchmark"
		echo
		echo "Medians over $ROUNDS rounds. An op is one echoed message (echo64) or one full handshake"
		echo "(handshakes); p99 is per round trip, or per connect + handshake. Server CPU is user +"
		echo "system time from /proc/PID/stat over the measured window, divided by the ops."
		echo
		table
	)
	publish tls "$report" "$(tsv_rows rate "")"
}

main "$@"
