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
