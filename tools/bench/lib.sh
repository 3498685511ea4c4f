# lib.sh holds the helpers the benchmark scripts share; they source it. The helpers read
# the calling script's variables (bin, tools, PORT, the result arrays) when they run.

build() {
	local name=$1 pkg=$2
	(cd "$tools_dir" && go build -o "$bin/$name" "$pkg")
}

has_server() {
	[[ " $SERVERS " == *" $1 "* ]]
}

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

median_of() {
	# shellcheck disable=SC2086 # the samples are space-separated numbers
	median ${samples["$1"]}
}

next_port() {
	port=$PORT
	PORT=$((PORT + 1))
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "—"; else printf "%.2f×", a / b }'
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

# cpu_ticks PID sets ticks to the process's user + system time in clock ticks (fields 14 and 15
# of /proc/PID/stat; the command name may hold spaces, so fields are counted after its ")").
# Builtins only, so that sampling forks nothing on the measured cores. It fails when the
# process has gone.
cpu_ticks() {
	local line rest fields
	{ read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
	rest=${line##*) }
	read -r -a fields <<<"$rest"
	ticks=$((fields[11] + fields[12]))
}
