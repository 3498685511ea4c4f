#!/usr/bin/env bash
# RESP benchmark: our Redis server (tools/cmd/redisd, one event loop) against redis-server,
# both driven by redis-benchmark in the same run, alternating the servers round after round.
#
# For each pipeline depth in PIPELINES, a short pilot run against redis-server sizes the
# request count N so that one run lasts about DURATION seconds; then, for ROUNDS rounds, each
# server is started afresh (ours, then redis-server) and every test in TESTS is run against it
# on its own, so that the server's CPU time (user + system, from /proc/PID/stat, sampled
# before and after the run) can be charged to that test alone:
#
#   taskset -c SERVER_CPU  <server>
#   taskset -c CLIENT_CPU  redis-benchmark -h 127.0.0.1 -p PORT -c CLIENTS -n N -t TEST -P DEPTH --csv
#
# Settings (environment):
#   ROUNDS=3            rounds; every round runs each server once, A B A B A B
#   DURATION=5          seconds one run should last (N is sized from the pilot)
#   PIPELINES="1 16"    redis-benchmark -P values
#   TESTS="ping_inline ping_mbulk set get"   redis-benchmark -t tests, run one at a time
#   CLIENTS=50          redis-benchmark -c
#   SERVER_CPU=1 CLIENT_CPU=0   cores the server and redis-benchmark are pinned to
#   PORT=19700          first TCP port tried; each server start takes the next free one
#   PROFILE=0           1: afterwards, profile ours once per pipeline depth (-cpuprofile) and
#                       print the top functions
#   BASE=               a git revision of this repository (a commit, a branch): its redisd is
#                       measured too, as "base", in the same rounds (ours, base, redis-server),
#                       and a second table sets ours against it: a change's before and after,
#                       side by side on the same machine. It is left out of resp.tsv.
#   OUT=tools/bench/out where resp.md and resp.tsv are written (default: in this repository)
#
# redis-server and redis-benchmark come from Debian's redis-server and redis-tools packages,
# installed with apt-get when missing.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
PIPELINES=${PIPELINES:-1 16}
TESTS=${TESTS:-ping_inline ping_mbulk set get}
CLIENTS=${CLIENTS:-50}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
PORT=${PORT:-19700}
PROFILE=${PROFILE:-0}
BASE=${BASE:-}
OUT=${OUT:-$repo_dir/tools/bench/out}

SERVERS="ours redis"
if [[ -n $BASE ]]; then
	SERVERS="ours base redis"
fi
readonly SERVERS

start_work gnet-resp-bench

# ---------------------------------------------------------------- setup

build_ours() {
	mkdir -p "$work/bin"
	(cd "$tools_dir" && go build -o "$work/bin/redisd" ./cmd/redisd) || die "cannot build ./cmd/redisd"
}

# build_base builds ./cmd/redisd as it is at revision BASE.
build_base() {
	mkdir -p "$work/bin"
	bin=$work/bin build_at_revision "$BASE" redisd-base ./cmd/redisd || die "cannot build ./cmd/redisd at $BASE"
}

server_label() {
	case $1 in
	ours) echo "ours (redisd -loops 1)" ;;
	base) echo "base (redisd at $BASE)" ;;
	redis) echo "redis-server" ;;
	esac
}

print_environment() {
	print_machine
	echo "- redis-server: $(redis-server --version)"
	echo "- redis-benchmark: $(redis-benchmark --version 2>/dev/null || echo unknown)"
	echo "- settings: ROUNDS=$ROUNDS DURATION=${DURATION}s PIPELINES=\"$PIPELINES\" TESTS=\"$TESTS\" CLIENTS=$CLIENTS;" \
		"servers on CPU $SERVER_CPU (ours with -loops 1), redis-benchmark on CPU $CLIENT_CPU${BASE:+; BASE=$BASE}"
}

# ---------------------------------------------------------------- processes

# start_server SERVER [EXTRA_ARGS...] sets server_pid and port once the server answers PING.
start_server() {
	local server=$1
	shift
	next_port
	local cmd
	case $server in
	ours) cmd=("$work/bin/redisd" -addr "tcp://127.0.0.1:$port" -loops 1 -quiet "$@") ;;
	base) cmd=("$work/bin/redisd-base" -addr "tcp://127.0.0.1:$port" -loops 1 -quiet "$@") ;;
	redis) cmd=(redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no) ;;
	esac
	server_log=$work/server.log
	taskset -c "$SERVER_CPU" "${cmd[@]}" >"$server_log" 2>&1 &
	server_pid=$!
	await_server "$(server_label "$server") (${cmd[*]})" answers_ping "$port"
}

# answers_ping PORT succeeds when the server on PORT answers PING with PONG.
answers_ping() {
	[[ $(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]
}

# ---------------------------------------------------------------- measurements

declare -A samples

csv_name() {
	echo "${1^^}"
}

# run_benchmark TEST DEPTH REQUESTS writes redis-benchmark's output to $work/bench.out and
# sets csv_line to the test's CSV line; it dies if redis-benchmark failed or reported errors.
run_benchmark() {
	local test=$1 depth=$2 requests=$3 status=0
	taskset -c "$CLIENT_CPU" redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$requests" \
		-t "$test" -P "$depth" --csv >"$work/bench.out" 2>&1 || status=$?
	if ((status != 0)) || grep -qiE 'error|warning|refused|reset' "$work/bench.out"; then
		die "redis-benchmark -t $test -P $depth failed against port $port (status $status):"$'\n'"$(cat "$work/bench.out")"
	fi
	csv_line=$(grep "^\"$(csv_name "$test")\"," "$work/bench.out" || true)
	[[ -n $csv_line ]] || die "no CSV line for $test in redis-benchmark's output:"$'\n'"$(cat "$work/bench.out")"
}

# csv_field LINE INDEX prints the INDEX-th field (1-based) of a CSV line of quoted values.
csv_field() {
	local line=${1//\"/}
	local fields
	IFS=, read -r -a fields <<<"$line"
	echo "${fields[$(($2 - 1))]}"
}

# calibrate DEPTH sets requests so that a run against redis-server lasts about DURATION s:
# pilot runs of every test, growing until one takes at least a second, give the median rate.
calibrate() {
	local depth=$1 rates started elapsed
	local pilot=$((CLIENTS * depth * 100))
	start_server redis
	for _ in $(seq 6); do
		rates=()
		started=$EPOCHREALTIME
		for test in $TESTS; do
			run_benchmark "$test" "$depth" "$pilot"
			rates+=("$(csv_field "$csv_line" 2)")
		done
		elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" -v n="$(wc -w <<<"$TESTS")" 'BEGIN { print (b - a) / n }')
		if awk -v e="$elapsed" 'BEGIN { exit !(e >= 1) }'; then
			break
		fi
		pilot=$((pilot * 4))
	done
	stop_server
	requests=$(median "${rates[@]}" | awk -v d="$DURATION" -v c="$CLIENTS" -v p="$depth" \
		'{ n = int($1 * d / (c * p)) * c * p; if (n < c * p) n = c * p; print n }')
}

# measure SERVER DEPTH ROUND: one server run of every test at one pipeline depth.
measure() {
	local server=$1 depth=$2 round=$3 test before after started ended rps p99 cpu busy
	start_server "$server"
	for test in $TESTS; do
		cpu_ticks "$server_pid"
		before=$ticks
		started=$EPOCHREALTIME
		run_benchmark "$test" "$depth" "$requests"
		ended=$EPOCHREALTIME
		cpu_ticks "$server_pid"
		after=$ticks
		rps=$(csv_field "$csv_line" 2)
		p99=$(csv_field "$csv_line" 7)
		cpu=$(awk -v t=$((after - before)) -v hz="$clk_tck" -v n="$requests" 'BEGIN { printf "%.3f", t / hz * 1e6 / n }')
		busy=$(awk -v t=$((after - before)) -v hz="$clk_tck" -v a="$started" -v b="$ended" \
			'BEGIN { printf "%.0f", t / hz / (b - a) * 100 }')
		record "$depth|$test|$server|rps" "$rps"
		record "$depth|$test|$server|p99" "$p99"
		record "$depth|$test|$server|cpu" "$cpu"
		record "$depth|$test|$server|busy" "$busy"
		printf '  round %d  %-24s -P %-2s %-12s %10.0f req/s  p99 %7.3f ms  server %7.3f µs/req, busy %3d%%  (%.1f s)\n' \
			"$round" "$(server_label "$server")" "$depth" "$test" "$rps" "$p99" "$cpu" "$busy" \
			"$(awk -v a="$started" -v b="$ended" 'BEGIN { print b - a }')"
	done
	stop_server
}

# profile_ours DEPTH: one run of ours with -cpuprofile; its top functions are appended to
# $work/profiles.md.
profile_ours() {
	local depth=$1
	local profile=$work/cpu-P$depth.prof
	start_server ours -cpuprofile "$profile"
	for test in $TESTS; do
		run_benchmark "$test" "$depth" "$requests"
	done
	stop_server
	{
		echo
		echo "### CPU profile of ours, -P $depth, tests: $TESTS"
		echo
		echo '```'
		(cd "$tools_dir" && go tool pprof -top -nodecount 30 "$work/bin/redisd" "$profile") 2>/dev/null |
			sed -n '/flat%/,$p'
		echo '```'
	} >>"$work/profiles.md"
}

# ---------------------------------------------------------------- report

# table PEER prints the medians of ours against PEER (redis or base), test by test.
table() {
	local peer=$1 name
	name=$([[ $peer == redis ]] && echo redis-server || echo base)
	echo "| -P | test | ours req/s | $name req/s | req/s ours ÷ $peer | ours µs/req | $name µs/req | µs/req ours ÷ $peer | ours p99 ms | $name p99 ms | server busy % ours / $peer |"
	echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	local depth test o_rps r_rps o_cpu r_cpu o_p99 r_p99 o_busy r_busy
	for depth in $PIPELINES; do
		for test in $TESTS; do
			o_rps=$(median_of "$depth|$test|ours|rps")
			r_rps=$(median_of "$depth|$test|$peer|rps")
			o_cpu=$(median_of "$depth|$test|ours|cpu")
			r_cpu=$(median_of "$depth|$test|$peer|cpu")
			o_p99=$(median_of "$depth|$test|ours|p99")
			r_p99=$(median_of "$depth|$test|$peer|p99")
			o_busy=$(median_of "$depth|$test|ours|busy")
			r_busy=$(median_of "$depth|$test|$peer|busy")
			printf '| %s | %s | %.0f | %.0f | %s | %.3f | %.3f | %s | %.3f | %.3f | %.0f / %.0f |\n' \
				"$depth" "$(csv_name "$test")" "$o_rps" "$r_rps" "$(ratio "$o_rps" "$r_rps")" \
				"$o_cpu" "$r_cpu" "$(ratio "$o_cpu" "$r_cpu")" "$o_p99" "$r_p99" "$o_busy" "$r_busy"
		done
	done
}

# resp_tsv prints the medians for $OUT/resp.tsv (see lib.sh and README.md); scenarios are
# named P<depth>_<test>, and redis-benchmark's p99 in ms becomes µs.
resp_tsv() {
	local depth test server p99
	for depth in $PIPELINES; do
		for test in $TESTS; do
			for server in ours redis; do
				p99=$(awk -v ms="$(median_of "$depth|$test|$server|p99")" 'BEGIN { print ms * 1000 }')
				tsv_row "P${depth}_$test" "redis-benchmark -c $CLIENTS -P $depth -t $test" "$server" \
					"$(server_label "$server")" req/s "$(median_of "$depth|$test|$server|rps")" \
					"$(median_of "$depth|$test|$server|cpu")" "$p99" -
			done
		done
	done
}

# ---------------------------------------------------------------- main

main() {
	command -v taskset >/dev/null || die "taskset is required (util-linux)"
	((ROUNDS >= 1)) || die "ROUNDS must be at least 1"
	need_packages redis-server:redis-server redis-benchmark:redis-tools redis-cli:redis-tools
	clk_tck=$(getconf CLK_TCK)

	local environment depth round server
	environment=$(print_environment)
	echo "# RESP benchmark"
	echo
	echo "$environment"
	echo
	echo "building ./cmd/redisd into $work/bin"
	build_ours
	if [[ -n $BASE ]]; then
		echo "building ./cmd/redisd at $BASE into $work/bin"
		build_base
	fi

	declare -A requests_for
	for depth in $PIPELINES; do
		calibrate "$depth"
		requests_for[$depth]=$requests
		echo
		echo "## redis-benchmark -c $CLIENTS -P $depth -n $requests (sized to about ${DURATION}s against redis-server)"
		for round in $(seq "$ROUNDS"); do
			for server in $SERVERS; do
				measure "$server" "$depth" "$round"
			done
		done
	done

	if [[ $PROFILE == 1 ]]; then
		for depth in $PIPELINES; do
			requests=${requests_for[$depth]}
			echo "profiling ours at -P $depth"
			profile_ours "$depth"
		done
	fi

	local report
	report=$(
		report_head "RESP benchmark"
		for depth in $PIPELINES; do
			echo "- requests per run at -P $depth: ${requests_for[$depth]}"
		done
		echo
		echo "Medians over $ROUNDS rounds. req/s and p99 are redis-benchmark's; server µs/req is the"
		echo "server's user + system CPU time over the run (from /proc/PID/stat) divided by the requests;"
		echo "server busy % is that CPU time over the run's wall time."
		echo
		table redis
		if [[ -n $BASE ]]; then
			echo
			echo "Ours against base, redisd at $BASE, measured in the same rounds:"
			echo
			table base
		fi
		if [[ -f $work/profiles.md ]]; then
			cat "$work/profiles.md"
		fi
	)
	publish resp "$report" "$(resp_tsv)"
}

main "$@"
