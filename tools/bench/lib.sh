# lib.sh holds the helpers the benchmark scripts share; they source it. The helpers read
# the calling script's variables (bin, tools_dir, PORT, OUT, server_pid, the result arrays)
# when they run. A script may define its own die or cleanup after sourcing; its own wins.
# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # the helpers set and read the sourcing script's variables

# Where the scripts live: this folder, the tools module, the repository.
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tools_dir=$(dirname "$script_dir")
repo_dir=$(dirname "$tools_dir")

build() {
	local name=$1 pkg=$2
	(cd "$tools_dir" && go build -o "$bin/$name" "$pkg")
}

# build_at_revision REV NAME PKG builds the tools package PKG as it is at git revision REV of
# this repository (a commit, a branch) into $bin/NAME, from a copy of the repository's files at
# that revision: the same program before a change, to measure beside it in the same rounds.
build_at_revision() {
	local rev=$1 name=$2 pkg=$3 copy=$work/rev-$1
	if [[ ! -d $copy ]]; then
		mkdir -p "$copy"
		git -C "$repo_dir" archive --format=tar "$rev" | tar -x -C "$copy" ||
			die "cannot take the files of revision $rev"
	fi
	(cd "$copy/tools" && go build -o "$bin/$name" "$pkg")
}

# build_floor NAME compiles the C floor server floor/NAME.c into $bin/NAME with cc.
build_floor() {
	command -v cc >/dev/null || die "the C floor servers need a C compiler (cc); install gcc, or leave the floor out of SERVERS"
	cc -std=gnu11 -O2 -Wall -Wextra -o "$bin/$1" "$script_dir/floor/$1.c"
}

has_server() {
	[[ " $SERVERS " == *" $1 "* ]]
}

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# median_of KEY prints the median of the samples recorded under KEY, or - when none was.
median_of() {
	if [[ -z ${samples["$1"]:-} ]]; then
		echo -
		return
	fi
	# shellcheck disable=SC2086 # the samples are space-separated numbers
	median ${samples["$1"]}
}

# next_port [IN_USE] sets port to the next port from PORT that is free: IN_USE PORT fails for it
# (default accepts, nothing listens there over TCP; udp_bound for UDP).
next_port() {
	local in_use=${1:-accepts}
	for _ in $(seq 100); do
		port=$PORT
		PORT=$((PORT + 1))
		if ! "$in_use" "$port"; then
			return 0
		fi
	done
	die "no free port among the 100 before $PORT; set PORT to a free range"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "—"; else printf "%.2f×", a / b }'
}

# vs SERVER NAME PEER KEY prints SERVER's median of KEY ÷ PEER's in scenario NAME, or nothing
# when the two are the same server or the peer is not measured.
vs() {
	if [[ $1 != "$3" ]] && has_server "$3"; then
		ratio "$(median_of "$2|$1|$4")" "$(median_of "$2|$3|$4")"
	fi
}

record() {
	samples["$1"]+="$2 "
}

# stop_server asks the server in $server_pid to stop (servers that profile write the profile
# then), waits up to 5 s, and makes sure it has gone.
stop_server() {
	kill -TERM "$server_pid" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$server_pid" 2>/dev/null || true
	# The server was stopped on purpose; its exit status says nothing about the benchmark.
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
}

# cpu_ticks PID sets ticks to the process's user + system time in clock ticks, and user_ticks
# and system_ticks to the two (fields 14 and 15 of /proc/PID/stat; the command name may hold
# spaces, so fields are counted after its ")"). Builtins only, so that sampling forks nothing
# on the measured cores. It fails when the process has gone.
cpu_ticks() {
	local line rest fields
	{ read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
	rest=${line##*) }
	read -r -a fields <<<"$rest"
	user_ticks=${fields[11]} system_ticks=${fields[12]}
	ticks=$((user_ticks + system_ticks))
}

# per_op TICKS OPS prints TICKS clock ticks of CPU time per operation in µs (%.3f).
per_op() {
	awk -v t="$1" -v hz="$clk_tck" -v n="$2" 'BEGIN { printf "%.3f", t / hz * 1e6 / n }'
}

# die MESSAGE prints MESSAGE after the script's name on stderr and ends the script.
die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

# start_work PREFIX makes the script's temporary folder, $work, and arranges that whatever
# ends the script, the processes in loadgen_pid and server_pid are killed and $work goes.
start_work() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	server_pid=""
	loadgen_pid=""
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# cleanup is start_work's exit trap: servers and load generators must never outlive the
# script, and neither may a policy-rc.d that need_packages placed.
cleanup() {
	local pid
	for pid in "${loadgen_pid:-}" "${server_pid:-}"; do
		if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	remove_placed_policy
	rm -rf "$work"
}

# need_packages CMD:PACKAGE... makes sure every CMD is on PATH, installing the Debian packages
# of the missing ones with one apt-get update and one apt-get install. Packages that ship a
# service (redis-server, haproxy) would start it during the install, and on a machine without
# a policy-rc.d (a CI runner, a plain container) it then stays running on its default port,
# taking CPU from the measurements: for the install, a policy-rc.d that refuses every start
# is put in place, unless the machine has one already, and removed afterwards.
need_packages() {
	local pair missing=() package
	for pair in "$@"; do
		package=${pair#*:}
		if ! command -v "${pair%%:*}" >/dev/null && [[ " ${missing[*]} " != *" $package "* ]]; then
			missing+=("$package")
		fi
	done
	((${#missing[@]} > 0)) || return 0
	command -v apt-get >/dev/null || die "install the packages ${missing[*]} (no apt-get here)"
	as_root=()
	if (($(id -u) != 0)); then
		command -v sudo >/dev/null || die "run as root or install the packages ${missing[*]}"
		as_root=(sudo)
	fi
	echo "installing ${missing[*]} with apt-get (services they ship are not started)"
	place_policy
	local status=0
	{ "${as_root[@]}" apt-get update -q &&
		"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } || status=$?
	remove_placed_policy
	((status == 0)) || die "apt-get could not install ${missing[*]} (exit status $status)"
	for pair in "$@"; do
		command -v "${pair%%:*}" >/dev/null || die "installing ${pair#*:} did not provide ${pair%%:*}"
	done
}

policy_rc_d=/usr/sbin/policy-rc.d

# place_policy installs a policy-rc.d that refuses (101) every service start, unless one
# exists; policy_placed records that it must go again.
place_policy() {
	policy_placed=0
	[[ -e $policy_rc_d ]] && return 0
	printf '#!/bin/sh\n# Placed by tools/bench for one apt-get install: start no service.\nexit 101\n' |
		"${as_root[@]}" tee "$policy_rc_d" >/dev/null || die "cannot write $policy_rc_d"
	"${as_root[@]}" chmod 755 "$policy_rc_d" || die "cannot make $policy_rc_d executable"
	policy_placed=1
}

remove_placed_policy() {
	if [[ ${policy_placed:-0} == 1 ]]; then
		"${as_root[@]}" rm -f "$policy_rc_d" || echo "could not remove $policy_rc_d; remove it by hand" >&2
		policy_placed=0
	fi
}

# print_machine prints the Markdown list items that describe the machine and the moment.
print_machine() {
	echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "- kernel: $(uname -r)"
	echo "- cores: $(nproc)"
	echo "- cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "- go: $(go version)"
	echo "- loadavg: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# accepts PORT succeeds when something accepts TCP connections on 127.0.0.1:PORT.
accepts() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# udp_bound PORT succeeds when a UDP socket is bound to PORT, on any address (the local
# addresses of /proc/net/udp and udp6 end in the port, in hex). Builtins only.
udp_bound() {
	local hex file _ local_address
	printf -v hex '%04X' "$1"
	for file in /proc/net/udp /proc/net/udp6; do
		[[ -r $file ]] || continue
		while read -r _ local_address _; do
			if [[ ${local_address##*:} == "$hex" ]]; then
				return 0
			fi
		done <"$file"
	done
	return 1
}

# await_server LABEL CHECK... runs CHECK every 50 ms until it succeeds, for up to 5 s; it ends
# the script with the server's output ($server_log) when the server ($server_pid) exits first
# or CHECK never succeeds.
await_server() {
	local label=$1
	shift
	for _ in $(seq 100); do
		if ! kill -0 "$server_pid" 2>/dev/null; then
			die "$label exited at start:"$'\n'"$(cat "$server_log")"
		fi
		if "$@"; then
			return 0
		fi
		sleep 0.05
	done
	die "$label was not ready within 5 s ($*)"
}

# wait_for_line FD PREFIX reads lines from FD until one starts with PREFIX; other lines are
# kept in loadgen_output for the error message should the marker never come.
wait_for_line() {
	local fd=$1 prefix=$2 line
	while IFS= read -r -u "$fd" line; do
		if [[ $line == "$prefix"* ]]; then
			return 0
		fi
		loadgen_output+="$line"$'\n'
	done
	return 1
}

# json_number KEY FILE prints the number KEY holds in the one-line JSON object in FILE.
json_number() {
	sed -n "s/.*\"$1\":\([-0-9.eE+]*\).*/\1/p" "$2"
}

# The summary file every script writes next to its Markdown table, $OUT/NAME.tsv, for
# run.sh to compare against the targets; README.md describes it.
tsv_header=$'scenario\ttitle\tserver\tlabel\tunit\tthroughput\tcpu_us_per_op\tp99_us\tkb_per_idle_conn'

# tsv_row SCENARIO TITLE SERVER LABEL UNIT THROUGHPUT CPU P99 KB prints one line of it; "-"
# stands for a figure that does not apply.
tsv_row() {
	local IFS=$'\t'
	echo "$*"
}

# tsv_rows KEY UNIT prints a tsv_row for every scenario and server of the script, from the
# medians recorded under NAME|SERVER|KEY (throughput), |cpu and |p99. It calls the script's
# scenario (which may set kind=memory: that scenario's row has only the median of
# memory|SERVER|kb) and server_label. UNIT "" stands for "$unit/s", with unit set by scenario.
tsv_rows() {
	local key=$1 name server
	for name in $SCENARIOS; do
		kind="" unit=""
		scenario "$name"
		for server in $SERVERS; do
			if [[ $kind == memory ]]; then
				tsv_row memory "$title" "$server" "$(server_label "$server")" - - - - \
					"$(median_of "memory|$server|kb")"
				continue
			fi
			tsv_row "$name" "$title" "$server" "$(server_label "$server")" "${2:-$unit/s}" \
				"$(median_of "$name|$server|$key")" "$(median_of "$name|$server|cpu")" \
				"$(median_of "$name|$server|p99")" -
		done
	done
}

# loadgen_failed FD LABEL WHAT ends the script with everything the load generator said on FD,
# its exit status, and what the script's servers_output prints (their logs); LABEL names the
# server of the run, WHAT what went wrong.
loadgen_failed() {
	local fd=$1 label=$2 what=$3 status=0
	loadgen_output+=$(cat <&"$fd")
	wait "$loadgen_pid" || status=$?
	loadgen_pid=""
	die "run of $name with $label: loadgen $what (exit status $status):"$'\n'"$loadgen_output" \
		$'\n'"$(servers_output)"
}

# measure_window LABEL RESULT ARGS... runs the load generator with ARGS on CLIENT_CPU, its JSON
# report written to RESULT, samples the CPU time of the server in $server_pid when the load
# generator announces the edges of its measured window ($MARK_MEASURING, $MARK_MEASURED), and
# stops the server. It sets window_user and window_system, the server's clock ticks over the
# window, and ends the script when the load generator failed or reported errors; LABEL names
# the server, $name the scenario.
measure_window() {
	local label=$1 result=$2 marks status=0 user_before system_before
	shift 2
	loadgen_output=""
	exec {marks}< <(taskset -c "$CLIENT_CPU" "$bin/loadgen" "$@" 2>&1 >"$result")
	loadgen_pid=$!
	wait_for_line "$marks" "$MARK_MEASURING" || loadgen_failed "$marks" "$label" "never started measuring"
	cpu_ticks "$server_pid" || loadgen_failed "$marks" "$label" "saw the server exit"
	user_before=$user_ticks system_before=$system_ticks
	wait_for_line "$marks" "$MARK_MEASURED" || loadgen_failed "$marks" "$label" "stopped before the end of its window"
	cpu_ticks "$server_pid" || loadgen_failed "$marks" "$label" "saw the server exit"
	window_user=$((user_ticks - user_before)) window_system=$((system_ticks - system_before))
	loadgen_output+=$(cat <&"$marks")
	exec {marks}<&-
	wait "$loadgen_pid" || status=$?
	loadgen_pid=""
	stop_server
	if ((status != 0)); then
		die "loadgen reported errors against $label ($name, exit status $status):"$'\n'"$loadgen_output"
	fi
}

# busy_percent TICKS SECONDS prints TICKS clock ticks of CPU time as a share of one core over
# SECONDS (%.1f).
busy_percent() {
	awk -v t="$1" -v hz="$clk_tck" -v s="$2" 'BEGIN { printf "%.1f", t / hz / s * 100 }'
}

# run_rounds runs every scenario of SCENARIOS under a heading with its title: ROUNDS rounds,
# each calling the script's measure NAME SERVER ROUND once for every server of SERVERS, in
# order, so that the servers alternate. A script that must prepare a scenario first (after its
# scenario function has run) defines prepare_scenario NAME.
run_rounds() {
	local name round server
	for name in $SCENARIOS; do
		scenario "$name"
		if declare -F prepare_scenario >/dev/null; then
			prepare_scenario "$name"
		fi
		echo
		echo "## $title"
		for round in $(seq "$ROUNDS"); do
			for server in $SERVERS; do
				measure "$name" "$server" "$round"
			done
		done
	done
}

# report_head TITLE prints the top of a script's report: the title, the environment the
# script printed at its start (in $environment) and the load at the end.
report_head() {
	echo "# $1"
	echo
	echo "$environment"
	echo "- loadavg at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# check_settings VALIDATE ends the script unless taskset is there, every entry of SERVERS
# passes VALIDATE (a function of the script that dies on an unknown server), every entry of
# SCENARIOS passes the script's scenario, and ROUNDS is at least 1. It sets clk_tck.
check_settings() {
	command -v taskset >/dev/null || die "taskset is required (util-linux)"
	local server name
	for server in $SERVERS; do "$1" "$server" >/dev/null; done
	for name in $SCENARIOS; do scenario "$name"; done
	((ROUNDS >= 1)) || die "ROUNDS must be at least 1"
	clk_tck=$(getconf CLK_TCK)
}

# publish NAME REPORT TSV writes REPORT to $OUT/NAME.md and TSV under tsv_header to
# $OUT/NAME.tsv, prints REPORT and says where it went.
publish() {
	local name=$1 report=$2 tsv=$3
	mkdir -p "$OUT"
	echo "$report" >"$OUT/$name.md"
	printf '%s\n%s\n' "$tsv_header" "$tsv" >"$OUT/$name.tsv"
	echo
	echo "$report"
	echo
	echo "written to $OUT/$name.md and $OUT/$name.tsv"
}
