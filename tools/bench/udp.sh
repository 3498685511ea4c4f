#!/usr/bin/env bash
# UDP echo benchmark: our echo server over UDP (tools/cmd/echo -addr udp://) against gnet v2's
# (peers/gnetv2echo, which serves UDP as it serves TCP) and two C floors (floor/udp_echo.c:
# recvfrom and sendto; floor/udp_gro_echo.c: recvmmsg with UDP_GRO, replies sent with
# UDP_SEGMENT), measured in the same run, alternating the servers round after round; then a
# separate short run per server with its system calls counted. See README.md.
#
#   taskset -c SERVER_CPU  SERVER on udp://127.0.0.1:PORT, one loop (one thread)
#   taskset -c CLIENT_CPU  loadgen -addr udp://127.0.0.1:PORT -conns SOCKETS -inflight INFLIGHT
#                                  -size SIZE [-gso GSO_BATCH -gro] -json
#
# Settings (environment):
#   ROUNDS=3          rounds per scenario; every round runs each server once, A B C D A B C D
#   DURATION=5s       measured window per run (a Go duration)
#   WARMUP=1s         unmeasured warm-up before the window
#   SERVERS="ours gnetv2 floor floor-gro"   (ours-nooffload: ours with -udp-gro=false -udp-gso=false)
#   SCENARIOS="plain gso"
#   SOCKETS=16        client sockets
#   INFLIGHT=8        datagrams in flight per socket
#   SIZE=64           bytes per datagram (16 to 65507)
#   GSO_BATCH=8       datagrams per GSO send in the gso scenario (at most 64, and 65507 bytes)
#   LOSS_TIMEOUT=200ms  a datagram not answered within this counts as lost and is replaced
#   SYSCALLS=auto     how system calls are counted: perf (its syscalls:sys_enter_* tracepoints),
#                     strace (strace -c -f), auto (perf when its tracepoints work, else strace),
#                     none
#   SYSCALL_DURATION=2s   length of each system-call counting run
#   SERVER_CPU=1 CLIENT_CPU=0   cores the server and the load generator are pinned to
#   PORT=19300        first UDP port tried; each server start takes the next free one
#   OUT=tools/bench/out         where udp.md and udp.tsv are written (default: in this repository)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-1s}
SERVERS=${SERVERS:-ours gnetv2 floor floor-gro}
SCENARIOS=${SCENARIOS:-plain gso}
SOCKETS=${SOCKETS:-16}
INFLIGHT=${INFLIGHT:-8}
SIZE=${SIZE:-64}
GSO_BATCH=${GSO_BATCH:-8}
LOSS_TIMEOUT=${LOSS_TIMEOUT:-200ms}
SYSCALLS=${SYSCALLS:-auto}
SYSCALL_DURATION=${SYSCALL_DURATION:-2s}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
PORT=${PORT:-19300}
OUT=${OUT:-$repo_dir/tools/bench/out}

# Lines the load generator writes on stderr at the edges of its measured window
# (tools/cmd/loadgen/window.go).
readonly MARK_MEASURING="loadgen: warm-up done, measuring"
readonly MARK_MEASURED="loadgen: measurement done"

start_work gnet-udp-bench
bin=$work/bin
counter_pid=""

# cleanup replaces lib.sh's: the system-call counter must not outlive the script either.
cleanup() {
	local pid
	for pid in "${loadgen_pid:-}" "${counter_pid:-}" "${server_pid:-}"; do
		if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
			# Reaping it keeps bash from reporting the kill; its status means nothing now.
			wait "$pid" 2>/dev/null || true
		fi
	done
	rm -rf "$work"
}

# ---------------------------------------------------------------- setup

server_label() {
	case $1 in
	ours) echo "ours" ;;
	ours-nooffload) echo "ours, no GRO/GSO" ;;
	gnetv2) echo "gnet v2" ;;
	floor) echo "C recvfrom/sendto" ;;
	floor-gro) echo "C recvmmsg+GRO/GSO" ;;
	*) die "unknown server '$1' in SERVERS (choose among: ours ours-nooffload gnetv2 floor floor-gro)" ;;
	esac
}

# scenario NAME sets: gso, gro (loadgen flags), unit, title.
scenario() {
	unit=datagram
	case $1 in
	plain) gso=0 gro=0 title="UDP echo $SIZE B, $SOCKETS sockets × $INFLIGHT in flight" ;;
	gso)
		gso=$GSO_BATCH gro=1
		title="UDP echo $SIZE B, $SOCKETS sockets × $INFLIGHT in flight, client sends GSO batches of $GSO_BATCH, receives with GRO"
		;;
	*) die "unknown scenario '$1' in SCENARIOS (choose among: plain gso)" ;;
	esac
}

build_all() {
	mkdir -p "$bin"
	build loadgen ./cmd/loadgen || die "cannot build ./cmd/loadgen"
	local server
	for server in $SERVERS; do
		case $server in
		ours | ours-nooffload)
			build echo ./cmd/echo ||
				die "cannot build ./cmd/echo (ours), see above; run SERVERS='gnetv2 floor floor-gro' $0 to measure only the others"
			;;
		gnetv2) build gnetv2echo ./bench/peers/gnetv2echo || die "cannot build the gnet v2 peer" ;;
		floor) build_floor udp_echo || die "cannot build floor/udp_echo.c" ;;
		floor-gro) build_floor udp_gro_echo || die "cannot build floor/udp_gro_echo.c" ;;
		esac
	done
}

# choose_syscall_tool sets syscall_tool (perf, strace or none) from SYSCALLS, and
# syscall_tool_note, which says why for the report. perf is usable when its system-call
# tracepoints count: hardware counters (perf stat -e instructions) are often missing in
# virtual machines, and are not needed.
choose_syscall_tool() {
	syscall_tool=none syscall_tool_note=""
	local perf_works=0
	if [[ $SYSCALLS == auto || $SYSCALLS == perf ]] && command -v perf >/dev/null &&
		perf stat -x, -e syscalls:sys_enter_getppid -- sh -c : 2>&1 | grep -q '^[0-9][0-9]*,'; then
		perf_works=1
	fi
	case $SYSCALLS in
	perf)
		((perf_works)) || die "SYSCALLS=perf, but perf cannot count the syscalls:sys_enter_* tracepoints here"
		syscall_tool=perf
		;;
	strace)
		command -v strace >/dev/null || die "SYSCALLS=strace, but there is no strace"
		syscall_tool=strace
		;;
	auto)
		if ((perf_works)); then
			syscall_tool=perf
		elif command -v strace >/dev/null; then
			syscall_tool=strace syscall_tool_note="perf cannot count system-call tracepoints here"
		else
			syscall_tool_note="neither perf (with system-call tracepoints) nor strace is here"
		fi
		;;
	none) syscall_tool_note="SYSCALLS=none" ;;
	*) die "SYSCALLS is auto, perf, strace or none, not '$SYSCALLS'" ;;
	esac
}

print_environment() {
	print_machine
	echo "- settings: ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP SOCKETS=$SOCKETS INFLIGHT=$INFLIGHT SIZE=$SIZE" \
		"GSO_BATCH=$GSO_BATCH LOSS_TIMEOUT=$LOSS_TIMEOUT; server on CPU $SERVER_CPU (one loop or thread), loadgen on CPU $CLIENT_CPU"
	case $syscall_tool in
	perf) echo "- system calls: $(perf --version), syscalls:sys_enter_* tracepoints, separate runs of $SYSCALL_DURATION" ;;
	strace) echo "- system calls: $(strace -V | head -n1) -c -f, separate runs of $SYSCALL_DURATION (${syscall_tool_note:-SYSCALLS=strace})" ;;
	none) echo "- system calls: not counted ($syscall_tool_note)" ;;
	esac
}

# ---------------------------------------------------------------- processes

# start_server SERVER sets server_pid and port once the server's UDP socket is bound.
start_server() {
	local server=$1 cmd
	next_port udp_bound
	case $server in
	ours) cmd=("$bin/echo" -addr "udp://127.0.0.1:$port" -loops 1 -quiet) ;;
	ours-nooffload) cmd=("$bin/echo" -addr "udp://127.0.0.1:$port" -loops 1 -quiet -udp-gro=false -udp-gso=false) ;;
	gnetv2) cmd=("$bin/gnetv2echo" -addr "udp://127.0.0.1:$port" -loops 1) ;;
	floor) cmd=("$bin/udp_echo" "$port") ;;
	floor-gro) cmd=("$bin/udp_gro_echo" "$port") ;;
	esac
	server_log=$work/server.log
	taskset -c "$SERVER_CPU" "${cmd[@]}" >"$server_log" 2>&1 &
	server_pid=$!
	await_server "$(server_label "$server") (${cmd[*]})" udp_bound "$port"
}

# loadgen_args NAME sets args to the load generator's flags for scenario NAME (scenario has run).
loadgen_args() {
	args=(-addr "udp://127.0.0.1:$port" -conns "$SOCKETS" -inflight "$INFLIGHT" -size "$SIZE"
		-loss-timeout "$LOSS_TIMEOUT" -json)
	if ((gso > 0)); then
		args+=(-gso "$gso")
	fi
	if ((gro)); then
		args+=(-gro)
	fi
}

# servers_output prints the server's log, for lib.sh's loadgen_failed.
servers_output() {
	echo "server output:"
	cat "$server_log"
}

# ---------------------------------------------------------------- measurements

declare -A samples

# measure NAME SERVER ROUND: one run of a scenario against one server (run_rounds calls it).
measure() {
	local name=$1 server=$2 round=$3 label args
	label=$(server_label "$server")
	start_server "$server"
	loadgen_args "$name"

	local result=$work/result.json
	measure_window "$label" "$result" "${args[@]}" -warmup "$WARMUP" -duration "$DURATION"

	local dgrams p50 p99 loss messages seconds client_cpu user system cpu server_busy client_busy
	dgrams=$(json_number msgs_per_sec "$result")
	p50=$(json_number p50_us "$result")
	p99=$(json_number p99_us "$result")
	loss=$(json_number loss_percent "$result")
	messages=$(json_number messages "$result")
	seconds=$(json_number seconds "$result")
	client_cpu=$(json_number loadgen_cpu_seconds "$result")
	((messages > 0)) || die "no datagram was echoed by $label ($name)"
	user=$(per_op "$window_user" "$messages")
	system=$(per_op "$window_system" "$messages")
	cpu=$(per_op $((window_user + window_system)) "$messages")
	server_busy=$(busy_percent $((window_user + window_system)) "$seconds")
	client_busy=$(awk -v c="$client_cpu" -v s="$seconds" 'BEGIN { printf "%.1f", c / s * 100 }')
	record "$name|$server|msgs" "$dgrams"
	record "$name|$server|user" "$user"
	record "$name|$server|system" "$system"
	record "$name|$server|cpu" "$cpu"
	record "$name|$server|loss" "$loss"
	record "$name|$server|p50" "$p50"
	record "$name|$server|p99" "$p99"
	record "$name|$server|server_busy" "$server_busy"
	record "$name|$server|client_busy" "$client_busy"
	printf '  round %d  %-19s %9.0f datagram/s  server %6.3f µs user + %6.3f µs system  loss %6.3f%%  p50 %8.1f µs  p99 %8.1f µs  busy %3.0f%%, loadgen %3.0f%%\n' \
		"$round" "$label" "$dgrams" "$user" "$system" "$loss" "$p50" "$p99" "$server_busy" "$client_busy"
}

# count_syscalls NAME SERVER: a run apart from the measured ones (counting slows the server),
# with the system-call counter attached to every thread of the server and counting from before
# the load generator starts until after it ends, and no warm-up: every datagram of the run is
# in the count. It records the system calls per datagram answered, and the three most frequent.
count_syscalls() {
	local name=$1 server=$2 label args
	label=$(server_label "$server")
	start_server "$server"
	loadgen_args "$name"

	local counts=$work/syscalls.txt result=$work/syscalls.json status=0
	rm -f "$counts"
	start_counter "$counts"
	taskset -c "$CLIENT_CPU" "$bin/loadgen" "${args[@]}" -warmup 0s -duration "$SYSCALL_DURATION" \
		>"$result" 2>"$work/syscalls.log" || status=$?
	stop_counter
	stop_server
	if ((status != 0)); then
		die "loadgen reported errors against $label in the system-call run ($name):"$'\n'"$(cat "$work/syscalls.log")"
	fi
	[[ -s $counts ]] || die "no system-call counts from $syscall_tool for $label ($name)"

	local messages summary
	messages=$(json_number messages "$result")
	((messages > 0)) || die "no datagram was echoed by $label in the system-call run ($name)"
	summary=$(syscall_counts "$counts" | sort -k2,2nr | awk -v n="$messages" '
		{ total += $2; if (NR <= 3) top = top (top == "" ? "" : ", ") sprintf("%s %.3f", $1, $2 / n) }
		END { printf "%.3f\t%s", total / n, top }')
	samples["$name|$server|syscalls"]=${summary%%$'\t'*}
	samples["$name|$server|syscall_top"]=${summary#*$'\t'}
	samples["$name|$server|syscall_datagrams"]=$messages
	printf '  %-19s %s system calls per datagram (%s) over %d datagrams\n' \
		"$label" "${summary%%$'\t'*}" "${summary#*$'\t'}" "$messages"
}

# start_counter FILE attaches the system-call counter to every thread of the server, its
# counts to go to FILE, and returns once it counts. perf starts with its events disabled and is
# told through a control FIFO to enable them; it acknowledges once they are (opening and
# enabling an event per tracepoint and thread can take seconds on a busy machine). strace
# counts from the moment it traces every thread.
start_counter() {
	if [[ $syscall_tool == perf ]]; then
		mkfifo "$work/perf.ctl" "$work/perf.ack"
		taskset -c "$CLIENT_CPU" perf stat -x, -e 'syscalls:sys_enter_*' -p "$server_pid" -o "$1" \
			-D -1 --control "fifo:$work/perf.ctl,$work/perf.ack" 2>"$work/counter.log" &
		counter_pid=$!
		# Read and write ends both, so that neither open waits for perf.
		exec {perf_ctl}<>"$work/perf.ctl" {perf_ack}<>"$work/perf.ack"
		tell_perf enable
		return
	fi
	taskset -c "$CLIENT_CPU" strace -c -f -p "$server_pid" -o "$1" 2>"$work/counter.log" &
	counter_pid=$!
	for _ in $(seq 300); do
		kill -0 "$counter_pid" 2>/dev/null || die "strace exited at start:"$'\n'"$(cat "$work/counter.log")"
		if traces_every_thread; then
			return 0
		fi
		sleep 0.1
	done
	die "strace did not attach to every thread of the server within 30 s"
}

# tell_perf COMMAND sends COMMAND (enable, disable) to the perf of start_counter and waits up
# to 120 s for its acknowledgement.
tell_perf() {
	local reply=""
	echo "$1" >&"$perf_ctl"
	read -r -t 120 -u "$perf_ack" reply || true
	[[ $reply == ack ]] || die "perf did not acknowledge '$1' within 120 s:"$'\n'"$(cat "$work/counter.log")"
}

# traces_every_thread succeeds once every thread of the server has a tracer.
traces_every_thread() {
	local task line
	for task in "/proc/$server_pid/task"/*; do
		line=""
		while read -r line; do
			[[ $line == TracerPid:* ]] && break
		done <"$task/status"
		[[ ${line#TracerPid:} =~ [1-9] ]] || return 1
	done
}

# stop_counter ends the counting of start_counter; the counts are in its FILE afterwards.
stop_counter() {
	if [[ $syscall_tool == perf ]]; then
		tell_perf disable
		exec {perf_ctl}>&- {perf_ack}<&-
		rm -f "$work/perf.ctl" "$work/perf.ack"
	fi
	kill -INT "$counter_pid" 2>/dev/null || true
	# perf and strace end on SIGINT after writing their counts; the status says nothing more.
	wait "$counter_pid" 2>/dev/null || true
	counter_pid=""
}

# syscall_counts FILE prints "NAME COUNT" for every system call counted above zero in FILE,
# the output of perf stat -x, or of strace -c.
syscall_counts() {
	if [[ $syscall_tool == perf ]]; then
		awk -F, '$3 ~ /^syscalls:sys_enter_/ && $1 ~ /^[0-9]+$/ && $1 > 0 {
			sub(/^syscalls:sys_enter_/, "", $3); print $3, $1 }' "$1"
	else
		# strace -c: "% time seconds usecs/call calls [errors] syscall", a total line last.
		awk '$1 ~ /^[0-9.]+$/ && $4 ~ /^[0-9]+$/ && $NF != "total" { print $NF, $4 }' "$1"
	fi
}

# ---------------------------------------------------------------- report

udp_table() {
	echo "| scenario | server | datagrams/s | server CPU µs/datagram, user | system | total | loss % | p50 µs | p99 µs | server busy % | loadgen busy % | CPU/datagram vs C recvfrom | vs C GRO/GSO | vs gnet v2 | datagrams/s vs gnet v2 |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	local name server
	for name in $SCENARIOS; do
		scenario "$name"
		for server in $SERVERS; do
			printf '| %s | %s | %.0f | %.3f | %.3f | %.3f | %.3f | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %s |\n' \
				"$title" "$(server_label "$server")" "$(median_of "$name|$server|msgs")" \
				"$(median_of "$name|$server|user")" "$(median_of "$name|$server|system")" \
				"$(median_of "$name|$server|cpu")" "$(median_of "$name|$server|loss")" \
				"$(median_of "$name|$server|p50")" "$(median_of "$name|$server|p99")" \
				"$(median_of "$name|$server|server_busy")" "$(median_of "$name|$server|client_busy")" \
				"$(vs "$server" "$name" floor cpu)" "$(vs "$server" "$name" floor-gro cpu)" \
				"$(vs "$server" "$name" gnetv2 cpu)" "$(vs "$server" "$name" gnetv2 msgs)"
		done
	done
}

syscall_table() {
	echo "| scenario | server | system calls per datagram | most frequent, per datagram | datagrams counted |"
	echo "|---|---|---:|---|---:|"
	local name server
	for name in $SCENARIOS; do
		scenario "$name"
		for server in $SERVERS; do
			printf '| %s | %s | %s | %s | %s |\n' "$title" "$(server_label "$server")" \
				"${samples["$name|$server|syscalls"]}" "${samples["$name|$server|syscall_top"]}" \
				"${samples["$name|$server|syscall_datagrams"]}"
		done
	done
}

# ---------------------------------------------------------------- main

main() {
	check_settings server_label
	[[ $SOCKETS =~ ^[1-9][0-9]*$ && $INFLIGHT =~ ^[1-9][0-9]*$ && $SIZE =~ ^[1-9][0-9]*$ && $GSO_BATCH =~ ^[0-9]+$ ]] ||
		die "SOCKETS, INFLIGHT, SIZE and GSO_BATCH are whole numbers"
	choose_syscall_tool

	local environment
	environment=$(print_environment)
	echo "# UDP echo benchmark"
	echo
	echo "$environment"
	echo
	echo "building into $bin"
	build_all

	run_rounds

	local name server
	if [[ $syscall_tool != none ]]; then
		echo
		echo "## system calls ($syscall_tool, runs of $SYSCALL_DURATION apart from the measured ones)"
		for name in $SCENARIOS; do
			scenario "$name"
			echo "### $title"
			for server in $SERVERS; do
				count_syscalls "$name" "$server"
			done
		done
	fi

	local report
	report=$(
		report_head "UDP echo benchmark"
		echo
		echo "Medians over $ROUNDS rounds. Server CPU is its user and system time from /proc/PID/stat over the"
		echo "measured window, per datagram answered; loss counts datagrams unanswered after $LOSS_TIMEOUT;"
		echo "p50 and p99 are per datagram, from its send to its reply. Ratios are of medians, row ÷ column."
		echo
		udp_table
		echo
		if [[ $syscall_tool == none ]]; then
			echo "System calls: not counted ($syscall_tool_note)."
		else
			echo "System calls of the server per datagram answered, counted with $syscall_tool in a separate run of"
			echo "$SYSCALL_DURATION per server (no warm-up; counting slows the server, so these runs are not timed)."
			echo
			syscall_table
		fi
	)
	publish udp "$report" "$(tsv_rows msgs "")"
}

main "$@"
