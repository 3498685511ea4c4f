// Package gracefultest proves graceful stop, zero-downtime restart, systemd socket activation
// and the pid file from the outside, the way an operator meets them: it runs
// internal/cmd/gracefulecho as a real child process, signals it, and drives it with loopback
// clients that count every request sent, answered, garbled or left to retry (package
// echoload). The restart tests run on Linux only, the one system where SIGUSR2 restarts; the
// rest runs unchanged on the BSDs.
package gracefultest
