#!/usr/bin/env bash
# run.sh is the one benchmark command. It installs the peer tools the chosen areas need (one
# apt-get update, one install, no service started), prints the environment, runs each area's
# script in turn with the same ROUNDS, DURATION and WARMUP, and assembles RESULTS.md: the
# command line, the environment, a summary of ours against every peer with the targets of
# shared/TARGETS.md marked met or not met, then every area's own table. See README.md.
#
#   tools/bench/run.sh                        everything, at full length (about 15 minutes)
#   QUICK=1 tools/bench/run.sh                smoke run: 1 round of 1 s; RESULTS.md goes to $OUT
#   AREAS="http resp" ROUNDS=5 tools/bench/run.sh
#
# Settings (environment):
#   AREAS="echo udp http resp proxy memory"   which areas, in this order; tls and client may be added
#   ROUNDS=3          rounds of every area; each round runs ours and every peer once, in turn;
#                     at least 2 unless QUICK=1
#   DURATION=5s       measured window of every run, in whole seconds (5 or 5s)
#   WARMUP=1s         unmeasured warm-up before each window (echo, http, proxy, tls)
#   QUICK=0           1: ROUNDS=1 and DURATION=1s unless given, and RESULTS.md goes to $OUT,
#                     not into the repository
#   IDLE_CONNS=10000  connections of the memory area
#   SERVER_CPU=1 CLIENT_CPU=0   cores of the server and of the load generator
#   OUT=tools/bench/out         where each area leaves NAME.md, NAME.tsv and NAME.log
#
# Settings of one area (SERVERS, SCENARIOS, CONNS, ...) are not passed on: run that area's
# script by itself for those.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# The exact command line, for the report: the settings given, then the command.
command_line=""
for setting in AREAS QUICK ROUNDS DURATION WARMUP IDLE_CONNS SERVER_CPU CLIENT_CPU OUT; do
	if [[ -n ${!setting+set} ]]; then
		command_line+="$setting=$(printf '%q' "${!setting}") "
	fi
done
command_line+="$0"

AREAS=${AREAS:-echo udp http resp proxy memory}
QUICK=${QUICK:-0}
if [[ $QUICK == 1 ]]; then
	ROUNDS=${ROUNDS:-1}
	DURATION=${DURATION:-1s}
fi
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-1s}
IDLE_CONNS=${IDLE_CONNS:-10000}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
OUT=${OUT:-$repo_dir/tools/bench/out}

# Knobs of single areas, some of them with the same name and different meanings in two
# scripts: none may reach an area from the caller's environment.
unset SERVERS SCENARIOS PORT CONNS THREADS CLIENTS PIPELINES TESTS SIZE INFLIGHT \
	HANDSHAKE_CONNS PROFILE PROFILE_DIR OURS_ARGS SOCKETS GSO_BATCH LOSS_TIMEOUT SYSCALLS SYSCALL_DURATION

start_work gnet-bench-run

# ---------------------------------------------------------------- settings

# area_script AREA prints the script that measures AREA.
area_script() {
	case $1 in
	echo | memory) echo echo.sh ;;
	udp | http | resp | proxy | tls | client) echo "$1.sh" ;;
	*) die "unknown area '$1' in AREAS (choose among: echo udp http resp proxy memory tls client)" ;;
	esac
}

area_title() {
	case $1 in
	echo) echo "Echo" ;;
	udp) echo "UDP echo" ;;
	memory) echo "Memory per idle connection" ;;
	http) echo "HTTP plaintext (wrk)" ;;
	resp) echo "RESP (redis-benchmark)" ;;
	proxy) echo "L4 proxy" ;;
	tls) echo "TLS" ;;
	client) echo "Client side" ;;
	esac
}

# area_packages AREA prints the CMD:PACKAGE pairs the area needs (see need_packages).
area_packages() {
	case $1 in
	echo | udp | memory) echo cc:gcc ;; # the C floor servers
	http) echo wrk:wrk ;;
	resp) echo redis-server:redis-server redis-benchmark:redis-tools redis-cli:redis-tools ;;
	proxy) echo haproxy:haproxy ;;
	tls) echo openssl:openssl ;;
	esac
}

check_run_settings() {
	local area
	for area in $AREAS; do area_script "$area" >/dev/null; done
	[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a whole number of at least 1"
	if [[ $QUICK != 1 ]] && ((ROUNDS < 2)); then
		die "ROUNDS must be at least 2, so that every pair is alternated twice; QUICK=1 is for smoke runs"
	fi
	[[ $DURATION =~ ^[1-9][0-9]*s?$ ]] || die "DURATION must be whole seconds, like 5 or 5s (resp.sh counts in seconds)"
	[[ $QUICK == 0 || $QUICK == 1 ]] || die "QUICK is 0 or 1"
	seconds=${DURATION%s}
	DURATION=${seconds}s
}

# ---------------------------------------------------------------- environment

print_environment() {
	print_machine
	local tool
	for tool in wrk redis-server haproxy openssl; do
		if command -v "$tool" >/dev/null; then
			case $tool in
			wrk) echo "- wrk: $(wrk -v 2>&1 | head -n1 || true)" ;;
			redis-server) echo "- redis-server: $(redis-server --version)" ;;
			haproxy) echo "- haproxy: $(haproxy -v 2>/dev/null | head -n1)" ;;
			openssl) echo "- openssl: $(openssl version)" ;;
			esac
		fi
	done
	echo "- settings: AREAS=\"$AREAS\" ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP" \
		"IDLE_CONNS=$IDLE_CONNS, servers on CPU $SERVER_CPU, load generators on CPU $CLIENT_CPU"
}

# ---------------------------------------------------------------- areas

# run_area AREA runs the area's script, its output shown and kept in $OUT/AREA.log, and
# leaves $OUT/AREA.md and, where the script writes one, $OUT/AREA.tsv. It fails when the
# script does.
run_area() {
	local area=$1 script out=$OUT
	script=$(area_script "$area")
	rm -f "$OUT/$area.md" "$OUT/$area.tsv"
	local settings=(ROUNDS="$ROUNDS" WARMUP="$WARMUP" SERVER_CPU="$SERVER_CPU" CLIENT_CPU="$CLIENT_CPU")
	case $area in
	echo) settings+=(DURATION="$DURATION" SCENARIOS="echo64 echo64x16 echo4k length64x16 churn") ;;
	memory)
		# echo.sh names its files echo.*: it writes them aside, to be renamed.
		out=$work/memory
		settings+=(DURATION="$DURATION" SCENARIOS=memory IDLE_CONNS="$IDLE_CONNS")
		;;
	resp) settings+=(DURATION="$seconds") ;;
	*) settings+=(DURATION="$DURATION") ;;
	esac
	settings+=(OUT="$out")

	echo
	echo "==> $(area_title "$area"): ${settings[*]} $script"
	if [[ ! -f $script_dir/$script ]]; then
		echo "$script is not there; $area is not measured" | tee "$OUT/$area.log"
		return 1
	fi
	local status=0
	env "${settings[@]}" bash "$script_dir/$script" 2>&1 | tee "$OUT/$area.log" || status=${PIPESTATUS[0]}
	if [[ $area == memory ]]; then
		mv "$out/echo.md" "$OUT/memory.md" 2>/dev/null || true
		mv "$out/echo.tsv" "$OUT/memory.tsv" 2>/dev/null || true
	fi
	return "$status"
}

# ---------------------------------------------------------------- summary

# target AREA SCENARIO PEER sets the target of ours against PEER in one scenario, from
# shared/TARGETS.md: min_throughput and max_cpu (ratios ours ÷ peer), max_p99 (ratio),
# max_kb (KB per idle connection, ours), target_text; all empty where there is none.
target() {
	min_throughput="" max_cpu="" max_p99="" max_kb="" target_text="—"
	case "$1|$2|$3" in
	"echo|echo64|gnetv2" | "echo|echo64x16|gnetv2")
		min_throughput=1.15 max_cpu=0.85 target_text="≥ 1.15× throughput, ≤ 0.85× CPU/op"
		;;
	"echo|echo4k|gnetv2") min_throughput=1.15 target_text="≥ 1.15× throughput" ;;
	"echo|echo64|floor" | "echo|echo64x16|floor" | "echo|echo4k|floor" | "echo|churn|floor")
		max_cpu=1.03 target_text="≤ 1.03× the C floor's CPU/op"
		;;
	"udp|plain|floor") max_cpu=1.2 target_text="≤ 1.2× the C recvfrom/sendto floor's CPU/op" ;;
	"udp|plain|gnetv2") max_cpu=0.65 target_text="≤ 0.65× CPU/op" ;;
	"udp|gso|floor-gro") max_cpu=1.5 target_text="≤ 1.5× the C GRO/GSO floor's CPU/op" ;;
	"http|plain|gnetv2" | "http|plain16|gnetv2") min_throughput=1.10 target_text="≥ 1.10× throughput" ;;
	resp\|*\|redis) min_throughput=1.0 target_text="≥ 1.0× throughput" ;;
	proxy\|*\|haproxy) min_throughput=1.0 max_p99=1.0 target_text="≥ 1.0× throughput at ≤ 1.0× p99" ;;
	"memory|memory|gnetv2") max_kb=0.5 target_text="≤ 0.5 KB per idle connection" ;;
	esac
}

# below A B succeeds when the number A is less than B.
below() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'
}

# verdict prints whether ours meets the target set by target, from o_* and p_* (ours' and
# the peer's figures): "met", "**not met**" with what missed it, "not measured" where a
# figure the target needs is missing, or "—" without a target.
verdict() {
	[[ -n $min_throughput$max_cpu$max_p99$max_kb ]] || {
		echo "—"
		return
	}
	local q_thr q_cpu q_p99 missed=()
	q_thr=$(quotient "$o_thr" "$p_thr")
	q_cpu=$(quotient "$o_cpu" "$p_cpu")
	q_p99=$(quotient "$o_p99" "$p_p99")
	if [[ -n $min_throughput && $q_thr == - ]] || [[ -n $max_cpu && $q_cpu == - ]] ||
		[[ -n $max_p99 && $q_p99 == - ]] || [[ -n $max_kb && ${o_kb:--} == - ]]; then
		echo "not measured"
		return
	fi
	if [[ -n $min_throughput ]] && below "$q_thr" "$min_throughput"; then
		missed+=("throughput $(printf %.3f "$q_thr")× < ${min_throughput}×")
	fi
	if [[ -n $max_cpu ]] && below "$max_cpu" "$q_cpu"; then
		missed+=("CPU/op $(printf %.3f "$q_cpu")× > ${max_cpu}×")
	fi
	if [[ -n $max_p99 ]] && below "$max_p99" "$q_p99"; then
		missed+=("p99 $(printf %.3f "$q_p99")× > ${max_p99}×")
	fi
	if [[ -n $max_kb ]] && below "$max_kb" "$o_kb"; then
		missed+=("$(printf %.3f "$o_kb") KB > $max_kb KB")
	fi
	if ((${#missed[@]} == 0)); then
		echo "met"
	else
		local joined
		printf -v joined '%s; ' "${missed[@]}"
		echo "**not met**: ${joined%; }"
	fi
}

# quotient A B [FORMAT] prints A ÷ B (default format %.6f), or "-" when either is missing or
# B is zero.
quotient() {
	awk -v a="$1" -v b="$2" -v f="${3:-%.6f}" 'BEGIN {
		if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf f, a / b }'
}

# shown_ratio A B prints A ÷ B as "1.23×", or "—".
shown_ratio() {
	local q
	q=$(quotient "$1" "$2" %.2f)
	if [[ $q == - ]]; then echo "—"; else echo "$q×"; fi
}

# figure THROUGHPUT UNIT CPU KB prints a server's figures for the summary.
figure() {
	if [[ $4 != - ]]; then
		printf '%.3f KB/conn' "$4"
	elif [[ $1 == - ]]; then
		echo "—"
	elif [[ $3 == - ]]; then
		printf '%.0f %s' "$1" "$2"
	else
		printf '%.0f %s at %.3f µs/op' "$1" "$2" "$3"
	fi
}

# summary_rows AREA prints the summary table's rows of one area from $OUT/AREA.tsv: one row
# per scenario and peer, ours against that peer.
summary_rows() {
	local area=$1 file=$OUT/$1.tsv
	local scenario title server label unit thr cpu p99 kb
	local -A ours
	local peers=()
	while IFS=$'\t' read -r scenario title server label unit thr cpu p99 kb; do
		[[ $scenario == scenario ]] && continue
		if [[ $server == ours ]]; then
			ours[$scenario]="$thr"$'\t'"$cpu"$'\t'"$p99"$'\t'"$kb"
		else
			peers+=("$scenario"$'\t'"$title"$'\t'"$server"$'\t'"$label"$'\t'"$unit"$'\t'"$thr"$'\t'"$cpu"$'\t'"$p99"$'\t'"$kb")
		fi
	done <"$file"
	local peer o_thr o_cpu o_p99 o_kb p_thr p_cpu p_p99 p_kb ratio
	for peer in "${peers[@]}"; do
		IFS=$'\t' read -r scenario title server label unit p_thr p_cpu p_p99 p_kb <<<"$peer"
		o_thr="" o_cpu="" o_p99="" o_kb=""
		if [[ -n ${ours[$scenario]+set} ]]; then
			IFS=$'\t' read -r o_thr o_cpu o_p99 o_kb <<<"${ours[$scenario]}"
		fi
		target "$area" "$scenario" "$server"
		if [[ $p_kb != - ]]; then
			ratio=$(shown_ratio "$o_kb" "$p_kb")
		else
			ratio=$(shown_ratio "$o_thr" "$p_thr")
		fi
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"$area" "$title" "$(figure "${o_thr:--}" "$unit" "${o_cpu:--}" "${o_kb:--}")" "$label" \
			"$(figure "$p_thr" "$unit" "$p_cpu" "$p_kb")" "$ratio" \
			"$(shown_ratio "$o_cpu" "$p_cpu")" "$(shown_ratio "$o_p99" "$p_p99")" "$target_text" "$(verdict)"
	done
}

summary_table() {
	echo "| area | scenario | ours | peer | peer's | ours ÷ peer | CPU/op ours ÷ peer | p99 ours ÷ peer | target | verdict |"
	echo "|---|---|---|---|---|---:|---:|---:|---|---|"
	local area
	for area in $AREAS; do
		# client.sh compares two clients against one server: nothing for this table.
		if [[ $area == client ]]; then
			continue
		elif [[ -f $OUT/$area.tsv ]]; then
			summary_rows "$area"
		else
			printf '| %s | — | — | — | — | — | — | — | %s | not measured: %s |\n' \
				"$area" "see below" "${missing_reason[$area]:-no $area.tsv}"
		fi
	done
}

# ---------------------------------------------------------------- report

# area_section AREA prints the area's own report under a heading of RESULTS.md, its title
# line dropped and its headings moved a level down.
area_section() {
	local area=$1
	echo
	echo "## $(area_title "$area") (tools/bench/$(area_script "$area"))"
	echo
	if [[ -f $OUT/$area.md ]]; then
		sed -e '1{/^# /d}' -e 's/^#/##/' "$OUT/$area.md" | sed -e '1{/^$/d}'
	else
		echo "Not measured: ${missing_reason[$area]:-the script wrote no $area.md}. Its output is in \`$OUT/$area.log\`."
	fi
}

write_results() {
	local results=$1
	{
		echo "# Benchmark results"
		echo
		echo "- command: \`$command_line\`"
		echo "$environment"
		echo "- loadavg at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
		echo
		if ((ROUNDS < 2)); then
			echo "**One round only: nothing was alternated; a smoke run, not a measurement.**"
			echo
		fi
		echo "Medians over $ROUNDS rounds, every server alternated with its peers round by round and"
		echo "pinned to its own core. Ratios are ours ÷ peer: throughput wants > 1, CPU time per"
		echo "operation (the server's user + system time from /proc/PID/stat over the measured"
		echo "window, divided by the operations) and p99 want < 1. Targets are those of"
		echo "shared/TARGETS.md; a verdict compares the unrounded ratio with the target. For memory,"
		echo "ours ÷ peer is the ratio of KB per idle connection, and the target is absolute."
		echo
		echo "## Summary"
		echo
		summary_table
		local area
		for area in $AREAS; do
			area_section "$area"
		done
	} >"$results"
}

# ---------------------------------------------------------------- main

main() {
	(($# == 0)) || die "no arguments; settings are environment variables (see the top of $0)"
	check_run_settings
	command -v taskset >/dev/null || die "taskset is required (util-linux)"

	local area more pairs=()
	for area in $AREAS; do
		read -r -a more <<<"$(area_packages "$area")"
		pairs+=("${more[@]}")
	done
	if ((${#pairs[@]} > 0)); then
		need_packages "${pairs[@]}"
	fi

	mkdir -p "$OUT"
	environment=$(print_environment)
	echo "# gnet benchmarks: $AREAS"
	echo
	echo "- command: $command_line"
	echo "$environment"

	declare -gA missing_reason
	local failed=()
	for area in $AREAS; do
		if ! run_area "$area"; then
			failed+=("$area")
			if [[ ! -f $script_dir/$(area_script "$area") ]]; then
				missing_reason[$area]="tools/bench/$(area_script "$area") is not there"
			else
				missing_reason[$area]="$(area_script "$area") failed, see $area.log"
			fi
		elif [[ ! -f $OUT/$area.tsv ]]; then
			missing_reason[$area]="$(area_script "$area") writes no $area.tsv; its table is below"
		fi
	done

	local results=$script_dir/RESULTS.md
	if [[ $QUICK == 1 ]]; then
		results=$OUT/RESULTS.md
	fi
	write_results "$results"
	echo
	echo "==> summary"
	echo
	summary_table
	echo
	echo "written to $results"
	if ((${#failed[@]} > 0)); then
		die "not measured: ${failed[*]} (see the logs in $OUT)"
	fi
}

main "$@"
