// Package fleet is the drill of docs/fleet.md run as a test: three instances of the echo
// server (tools/cmd/echo with -graceful, -pidfile and -proxy required) on 127.0.0.2, 127.0.0.3
// and 127.0.0.4, behind a real HAProxy that health-checks them every 200 ms and sends the PROXY
// protocol (send-proxy-v2), under load from many clients that verify every reply. Each instance
// is restarted in turn with SIGUSR2 (no request refused or lost, every reply correct), then one
// is killed with SIGKILL: only the connections that were on it fail, HAProxy marks it down and
// sends it nothing more, and the other two carry on. Every verdict is a count.
//
// The test runs on Linux, the one system where SIGUSR2 restarts, and skips when haproxy is not
// installed.
package fleet
