// Command loadgen is the echo load generator of the gnet benchmarks.
//
// Each of -conns connections is driven by its own goroutine over a plain net.Conn: it
// writes -inflight framed messages in one write, reads back exactly as many bytes, checks
// every byte and records the round-trip latency of the batch. After -warmup it measures for
// -duration and reports messages per second, MB/s, p50/p99/max batch latency and errors;
// any mismatch or I/O error is an error and makes the exit status 1. With -idle N it
// instead opens N connections that send nothing and holds them (-hold), for memory
// measurements.
//
// With -tls (or -tls-insecure, which skips verifying the server's certificate) every
// connection speaks TLS through crypto/tls, handshaking before the load starts. With
// -handshakes each of -conns goroutines instead connects, completes a full handshake (no
// session resumption), sends close_notify and waits for the server's, over and over, and the
// report counts handshakes per second.
//
// With -churn each of -conns goroutines connects, echoes one message and closes, over and
// over, and the report counts connections per second.
//
// With a udp:// address it runs the datagram load instead: -conns connected UDP sockets,
// each keeping -inflight datagrams in flight. Every datagram carries its socket's id, its
// window slot and a sequence number; replies are checked byte for byte, a datagram answered
// twice is an error, and one not answered within -loss-timeout counts as lost and its slot
// sends the next. -gso sends in GSO batches (UDP_SEGMENT), -gro receives with UDP_GRO.
//
// The start and the end of the measured window are announced on stderr (see
// markerMeasuring, markerMeasured) so that a script can sample the server's CPU time over
// exactly that window.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	status := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(status)
}

// run is the whole command, minus the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		return exitUsage
	}

	if cfg.idle > 0 {
		if err := runIdle(ctx, cfg, stdout); err != nil {
			complain(stderr, err)
			return exitFailed
		}
		return exitOK
	}

	var r outcome
	switch {
	case cfg.isUDP():
		r, err = runUDP(ctx, cfg, stderr)
	case cfg.handshakes:
		r, err = runHandshakes(ctx, cfg, stderr)
	case cfg.churn:
		r, err = runChurn(ctx, cfg, stderr)
	default:
		r, err = runEcho(ctx, cfg, stderr)
	}
	if err != nil {
		complain(stderr, err)
		return exitFailed
	}
	if err := r.write(stdout, stderr, cfg.json); err != nil {
		complain(stderr, err)
		return exitFailed
	}
	if r.errorCount() > 0 {
		return exitFailed
	}
	return exitOK
}

func complain(stderr io.Writer, err error) {
	// Nowhere else to report a failure to write to stderr; the exit status still tells.
	_, _ = fmt.Fprintf(stderr, "loadgen: %v\n", err)
}
