#!/usr/bin/env bash
# The one test command for every module of the gnet workspace: formatting, vet, each module on
# its own outside the workspace, lint, race tests, short fuzz runs, and vet for macOS and the
# BSDs. CI runs exactly this script.
#
# It works from any directory (it finds the repository through its own location) and on
# Linux, macOS (bash 3.2 included) and FreeBSD: no GNU-only flags, no bash 4 features.
set -euo pipefail

readonly golangci_lint_version=v2.15.0
readonly golangci_lint_package=github.com/golangci/golangci-lint/v2/cmd/golangci-lint
# The kqueue platforms poller-bsd serves; each is type-checked, tests included, from any host.
readonly cross_targets="darwin/amd64 darwin/arm64 freebsd/amd64 netbsd/amd64 openbsd/amd64 dragonfly/amd64"
# Modules that only build on Linux and so are left out of the cross-platform vet.
readonly linux_only_modules="poller-linux"

usage() {
	cat <<'USAGE'
usage: tools/test.sh [--long] [--no-lint]

Runs, in every module of go.work, stopping at the first failure:
  gofmt -l, go vet, GOWORK=off go mod tidy -diff / go build / go vet in each module,
  golangci-lint (pinned, installed on first use), go test -race, go vet and go test -race
  with -tags gnetfaults (injected system-call faults) over api, server, the fault suite
  and the randomized test, the engine's tests built for GOARCH=386 (on linux/amd64), a
  short run of every fuzz target, and go vet for darwin, freebsd, netbsd, openbsd and
  dragonfly (darwin and freebsd also with -tags gnetfaults).

  --long      long mode: exports GNET_LONG=1 for tests (soak tests read it) and fuzzes
              each target for 60s instead of 3s. GNET_LONG=1 in the environment does
              the same.
  --no-lint   skip golangci-lint, for quick local runs.

Environment:
  GNET_FUZZTIME    -fuzztime for each fuzz target (default 3s, 60s in long mode)
  GNET_TOOLS_BIN   where golangci-lint is installed
                   (default ${XDG_CACHE_HOME:-$HOME/.cache}/gnet-tools/bin)
USAGE
}

long=0
case "${GNET_LONG:-0}" in
0 | "" | false) ;;
*) long=1 ;;
esac
lint=1
while [ $# -gt 0 ]; do
	case "$1" in
	--long) long=1 ;;
	--no-lint) lint=0 ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		printf 'unknown argument: %s\n\n' "$1" >&2
		usage >&2
		exit 2
		;;
	esac
	shift
done

# Tests see long mode only as GNET_LONG=1; any other value, or none, means the quick run.
if [ "$long" -eq 1 ]; then
	export GNET_LONG=1
	fuzztime=${GNET_FUZZTIME:-60s}
else
	unset GNET_LONG
	fuzztime=${GNET_FUZZTIME:-3s}
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"
# Pin workspace mode, so that a GOWORK=off in the caller's environment cannot make each
# module resolve its siblings from the module proxy instead of this checkout.
export GOWORK="$root/go.work"

fail() {
	printf '\nFAIL: %s\n' "$*" >&2
	exit 1
}

# Steps announce themselves and record their time, so that the summary can say what ran.
current_step=""
passed_steps=""
step_started=0
begin_step() {
	current_step=$1
	step_started=$SECONDS
	printf '\n==> %s\n' "$1"
}
end_step() {
	passed_steps="$passed_steps $current_step ($((SECONDS - step_started))s),"
	current_step=""
}
print_summary() {
	status=$?
	remove_placed_policy
	if [ "$status" -eq 0 ]; then
		printf '\nsummary: passed:%s in %ss\n' "${passed_steps%,}" "$SECONDS"
	else
		printf '\nsummary: FAILED in %s; passed before it:%s\n' \
			"${current_step:-set-up}" "${passed_steps%,}" >&2
	fi
	exit "$status"
}
trap print_summary EXIT

# need_debian_pkg CMD PKG makes sure CMD is on PATH, installing the Debian package PKG with
# apt-get when it is not (apt-get update runs at most once per script run). Where there is no
# apt-get (macOS, FreeBSD), it fails and names what to install.
#
# A package that ships a service (redis-server) starts it during the install wherever nothing
# forbids it, as on a CI runner or in a plain container: a redis-server daemon would then hold
# port 6379 long after this script. The tests need the program only, so for the install a
# policy-rc.d that refuses every start (exit status 101, see invoke-rc.d(8); deb-systemd-invoke
# asks it too) is put in place, unless the machine has one of its own, and removed afterwards.
apt_updated=0
policy_rc_d=/usr/sbin/policy-rc.d
placed_policy=0
need_debian_pkg() {
	if command -v "$1" >/dev/null 2>&1; then
		return 0
	fi
	command -v apt-get >/dev/null 2>&1 ||
		fail "$1 is needed and is not on PATH: install it (Debian package $2)"
	as_root=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || fail "$1 is needed: install $2 as root"
		as_root=sudo
	fi
	if [ "$apt_updated" -eq 0 ]; then
		$as_root apt-get update -q
		apt_updated=1
	fi
	if [ ! -e "$policy_rc_d" ]; then
		printf '#!/bin/sh\n# Placed by tools/test.sh for one apt-get install: start no service.\nexit 101\n' |
			$as_root tee "$policy_rc_d" >/dev/null || fail "cannot write $policy_rc_d"
		placed_policy=1
		$as_root chmod 755 "$policy_rc_d" || fail "cannot make $policy_rc_d executable"
	fi
	installed=1
	$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" || installed=0
	remove_placed_policy
	[ "$installed" -eq 1 ] || fail "apt-get install $2"
	command -v "$1" >/dev/null 2>&1 || fail "installing $2 did not provide $1"
}

remove_placed_policy() {
	if [ "${placed_policy:-0}" -eq 1 ]; then
		$as_root rm -f "$policy_rc_d" || printf 'could not remove %s; remove it by hand\n' "$policy_rc_d" >&2
		placed_policy=0
	fi
}

# announce CMD... prints a command and runs it, failing the step if it fails. Standard input
# is closed so that the command cannot eat a list the caller is reading.
announce() {
	printf -- '--- %s\n' "$*"
	"$@" </dev/null || fail "$*"
}

# Modules are named by their folder relative to the root, so that lists of them are plain
# words: go.work's folders hold no spaces and lie inside the repository.
module_dirs=$(go list -m -f '{{.Dir}}') || fail "go list -m: cannot read $GOWORK"
all_modules=""
while IFS= read -r dir; do
	all_modules="$all_modules ${dir#"$root"/}"
done <<<"$module_dirs"

# patterns_of MODULE... prints the package patterns that cover the modules: one go command
# over all of them builds and tests packages in parallel, where one per module would not.
patterns_of() {
	for module in "$@"; do
		printf './%s/... ' "$module"
	done
}

# A module with no package yet has nothing to check, and golangci-lint fails on it: such a
# module is reported and passed over rather than failing the run.
# shellcheck disable=SC2086 # the module list is meant to split into words
all_patterns=$(patterns_of $all_modules)
# shellcheck disable=SC2086 # the pattern list is meant to split into words
dirs_with_packages=$(go list -e -f '{{with .Module}}{{.Dir}}{{end}}' $all_patterns 2>/dev/null) ||
	fail "go list cannot read the workspace's packages"
modules=""
for module in $all_modules; do
	if grep -Fxq "$root/$module" <<<"$dirs_with_packages"; then
		modules="$modules $module"
	else
		printf 'note: %s has no Go package yet; skipped\n' "$module"
	fi
done
[ -n "$modules" ] || fail "no module of $GOWORK holds a Go package"
# shellcheck disable=SC2086 # the module list is meant to split into words
patterns=$(patterns_of $modules)

printf 'gnet tests: %s, %s/%s, long mode %s, fuzztime %s\nmodules:%s\n' \
	"$(go env GOVERSION)" "$(go env GOOS)" "$(go env GOARCH)" "$long" "$fuzztime" "$modules"

check_formatting() {
	begin_step "gofmt -l"
	# The toolchain's own gofmt: another one on PATH may format differently.
	# shellcheck disable=SC2086 # the module list is meant to split into words
	unformatted=$("$(go env GOROOT)/bin/gofmt" -l $all_modules) ||
		fail "gofmt could not parse the files above"
	if [ -n "$unformatted" ]; then
		printf '%s\n' "$unformatted"
		fail "the files above are not gofmt-formatted (gofmt -w FILE fixes one)"
	fi
	end_step
}

vet_host() {
	begin_step "go vet"
	# shellcheck disable=SC2086 # the pattern list is meant to split into words
	announce go vet $patterns
	end_step
}

# Each module must stand on its own, as its users and a clean clone see it: outside the
# workspace, go mod tidy changes nothing (every sibling it imports is required, go.sum is
# complete), and every package builds and vets with what its go.mod says (siblings through
# their replace directives). -o /dev/null builds and keeps nothing: go build would leave the
# executable of a module's only command in its folder.
check_modules_alone() {
	begin_step "each module on its own (GOWORK=off)"
	for module in $modules; do
		printf -- '--- %s: GOWORK=off go mod tidy -diff, go build ./..., go vet ./...\n' "$module"
		(cd "$module" && GOWORK=off go mod tidy -diff && GOWORK=off go build -o /dev/null ./... &&
			GOWORK=off go vet ./...) </dev/null ||
			fail "$module does not stand on its own (above; an untidy go.mod: cd $module && GOWORK=off go mod tidy)"
	done
	end_step
}

# lint_is_current tells whether $lint_bin is the pinned golangci-lint built by the Go release
# in use: golangci-lint refuses code for a newer Go than the one it was built with.
lint_is_current() {
	[ -x "$lint_bin" ] || return 1
	[ "$("$lint_bin" version --short 2>/dev/null)" = "${golangci_lint_version#v}" ] || return 1
	built_with=$(go version "$lint_bin" 2>/dev/null) || return 1
	go_release=$(go env GOVERSION | cut -d. -f1-2)
	case "$built_with" in
	*": $go_release" | *": $go_release."*) return 0 ;;
	esac
	return 1
}

install_golangci_lint() {
	tools_bin=${GNET_TOOLS_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/gnet-tools/bin}
	lint_bin="$tools_bin/golangci-lint"
	if lint_is_current; then
		return 0
	fi
	printf 'installing golangci-lint %s into %s (a few minutes, first run only)\n' \
		"$golangci_lint_version" "$tools_bin"
	mkdir -p "$tools_bin"
	# go install will not overwrite a file that is not a Go binary (a truncated download, say).
	rm -f "$lint_bin"
	GOWORK=off GOBIN="$tools_bin" go install "$golangci_lint_package@$golangci_lint_version" ||
		fail "go install $golangci_lint_package@$golangci_lint_version"
	lint_is_current || fail "$lint_bin is not golangci-lint $golangci_lint_version after install"
}

# golangci-lint runs once per module: it loads one module's packages at a time.
lint_modules() {
	begin_step "golangci-lint $golangci_lint_version"
	install_golangci_lint
	for module in $modules; do
		printf -- '--- %s: golangci-lint run ./...\n' "$module"
		(cd "$module" && "$lint_bin" run --config "$root/.golangci.yml" ./... </dev/null) ||
			fail "golangci-lint in $module"
	done
	end_step
}

test_modules() {
	begin_step "go test -race"
	# Real peers the tests drive: openssl s_client against the TLS server; redis-cli,
	# redis-benchmark and redis-server against redisd; curl against httpd and the proxy; wrk
	# against httpd; HAProxy in front of servers that read the PROXY protocol, and of the
	# fleet of echo servers; prometheus scraping the echo example's metrics, and promtool
	# checking them. Installed where apt-get exists, so that CI skips none of those tests;
	# elsewhere each skips when its tool is missing.
	if command -v apt-get >/dev/null 2>&1; then
		# Debian puts haproxy in /usr/sbin, which a user's PATH may lack; the tests find it
		# on PATH too.
		case ":$PATH:" in
		*:/usr/sbin:*) ;;
		*) export PATH="$PATH:/usr/sbin" ;;
		esac
		need_debian_pkg openssl openssl
		need_debian_pkg redis-server redis-server
		need_debian_pkg redis-cli redis-tools
		need_debian_pkg redis-benchmark redis-tools
		need_debian_pkg curl curl
		need_debian_pkg wrk wrk
		need_debian_pkg haproxy haproxy
		need_debian_pkg prometheus prometheus
		need_debian_pkg promtool prometheus
	fi
	# shellcheck disable=SC2086 # the pattern list is meant to split into words
	announce go test -race -count=1 -timeout 10m $patterns
	end_step
}

# The packages that the system-call fault seam (api/sysfault) reaches, and the suites that
# inject faults through it (the fault suite and the randomized test), built with the
# gnetfaults tag that turns the seam on.
fault_patterns="./api/... ./server/... ./testsuite/faulttest/... ./testsuite/simtest/..."
# The fault suite's tests that only a gnetfaults build has; its others ran in the race step.
readonly fault_suite_tests='^(TestInjected|TestSoakOfRandomized)'
test_with_faults() {
	begin_step "go test -race -tags gnetfaults"
	# shellcheck disable=SC2086 # the pattern list is meant to split into words
	announce go vet -tags gnetfaults $fault_patterns
	announce go test -race -tags gnetfaults -count=1 -timeout 10m ./api/... ./server/... ./testsuite/simtest/...
	announce go test -race -tags gnetfaults -count=1 -timeout 10m -run "$fault_suite_tests" ./testsuite/faulttest/...
	end_step
}

# The engine's suites once more, built for 386: a 32-bit platform, and one with none of the
# fast paths written for amd64, so that the portable paths (goroutine identity, 64-bit
# counters on a 32-bit platform, 32-bit lengths) are exercised on every run. Linux on amd64
# runs 386 binaries natively; elsewhere the step is skipped with a note. The race detector
# does not support 386, so this run is without it.
readonly arch_suite_modules="api buffer codec poller-linux server testsuite"
test_other_arch() {
	if [ "$(go env GOOS)/$(go env GOARCH)" != linux/amd64 ]; then
		printf '\n==> go test for GOARCH=386 skipped: it runs natively on linux/amd64 only\n'
		return 0
	fi
	begin_step "go test, GOARCH=386"
	# shellcheck disable=SC2086 # the module list is meant to split into words
	announce env GOARCH=386 CGO_ENABLED=0 go test -count=1 -timeout 10m $(patterns_of $arch_suite_modules)
	end_step
	if [ "$long" -eq 1 ] && command -v apt-get >/dev/null 2>&1; then
		test_emulated_archs
	fi
}

# In long mode, the end-to-end suites also run on architectures this machine cannot run
# natively, under QEMU's user-mode emulation (Debian's qemu-user): big-endian s390x, and
# riscv64 and arm, whose goroutine identity is read from a register.
readonly emulated_archs="s390x riscv64 arm"
test_emulated_archs() {
	need_debian_pkg qemu-s390x qemu-user
	begin_step "end-to-end tests under QEMU for $emulated_archs"
	emulated=$(mktemp -d) || fail "mktemp -d"
	for arch in $emulated_archs; do
		for suite in e2e tlstest; do
			announce env GOARCH="$arch" CGO_ENABLED=0 go test -c -o "$emulated/$suite.$arch" "./testsuite/$suite"
			# The tests find their fixtures relative to their package, as go test runs them.
			(cd "testsuite/$suite" && announce "qemu-$arch" "$emulated/$suite.$arch" -test.count=1 -test.timeout=20m) ||
				fail "$suite under qemu-$arch"
		done
	done
	rm -rf "$emulated"
	end_step
}

# list_fuzz_targets prints one "package target" line per fuzz target in the modules.
# go test -list prints each package's matching names, then that package's "ok" line.
list_fuzz_targets() {
	# shellcheck disable=SC2086 # the pattern list is meant to split into words
	listing=$(go test -list '^Fuzz' $patterns </dev/null) || {
		# stdout is the caller's list: the failure goes to stderr to be seen.
		printf '%s\n' "$listing" >&2
		fail "go test -list '^Fuzz'"
	}
	names=""
	while IFS= read -r line; do
		case "$line" in
		Fuzz*) names="$names $line" ;;
		ok*)
			read -r _ package _ <<<"$line"
			for name in $names; do
				printf '%s %s\n' "$package" "$name"
			done
			names=""
			;;
		esac
	done <<<"$listing"
}

# fuzz_one PACKAGE TARGET fuzzes one target for $fuzztime. Go 1.26's fuzzing coordinator can
# report a bare "context deadline exceeded" as the -fuzztime window closes on a loaded machine,
# with no input found (go.dev/issue/75804, fixed in Go 1.27): such a run, and only such a run,
# is tried once more. A real finding writes its input under testdata/fuzz and fails at once.
fuzz_one() {
	local package=$1 name=$2 log attempt
	log=$(mktemp) || fail "mktemp"
	for attempt in 1 2; do
		printf -- '--- go test -run ^$ -fuzz ^%s$ -fuzztime %s %s\n' "$name" "$fuzztime" "$package"
		if go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "$package" </dev/null 2>&1 | tee "$log"; then
			rm -f "$log"
			return 0
		fi
		if [ "$attempt" -eq 2 ] || ! grep -q 'context deadline exceeded' "$log" ||
			grep -q 'Failing input written' "$log"; then
			break
		fi
		printf -- '--- %s: the fuzzing engine stopped at its own deadline with nothing found; once more\n' "$name"
	done
	rm -f "$log"
	fail "go test -run ^\$ -fuzz ^$name\$ -fuzztime $fuzztime $package"
}

fuzz_modules() {
	begin_step "go test -fuzz, ${fuzztime} per target"
	targets=$(list_fuzz_targets)
	fuzz_count=0
	# -fuzz takes one package and one target per run.
	while read -r package name; do
		[ -n "$name" ] || continue
		fuzz_one "$package" "$name"
		fuzz_count=$((fuzz_count + 1))
	done <<<"$targets"
	current_step="$current_step, $fuzz_count targets"
	end_step
}

vet_other_platforms() {
	begin_step "go vet for $cross_targets"
	portable_modules=""
	for module in $modules; do
		case " $linux_only_modules " in
		*" $module "*) ;;
		*) portable_modules="$portable_modules $module" ;;
		esac
	done
	# shellcheck disable=SC2086 # the module list is meant to split into words
	portable_patterns=$(patterns_of $portable_modules)
	host_target="$(go env GOOS)/$(go env GOARCH)"
	for target in $cross_targets; do
		# The host's own platform was vetted already, with its real cgo setting.
		[ "$target" != "$host_target" ] || continue
		# cgo off: no C cross-compiler is needed, and no package here uses cgo.
		# shellcheck disable=SC2086 # the pattern list is meant to split into words
		announce env GOOS="${target%/*}" GOARCH="${target#*/}" CGO_ENABLED=0 go vet $portable_patterns
	done
	# The seam's build: the kqueue backend gets it through api/netpoll, the engine's calls
	# through their per-platform files.
	for target in darwin/amd64 freebsd/amd64; do
		# shellcheck disable=SC2086 # the pattern list is meant to split into words
		announce env GOOS="${target%/*}" GOARCH="${target#*/}" CGO_ENABLED=0 go vet -tags gnetfaults $fault_patterns
	done
	end_step
}

check_formatting
vet_host
check_modules_alone
if [ "$lint" -eq 1 ]; then
	lint_modules
else
	printf '\n==> golangci-lint skipped (--no-lint)\n'
fi
test_modules
test_with_faults
test_other_arch
fuzz_modules
vet_other_platforms
