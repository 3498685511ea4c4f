//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package netpolltest

import (
	"errors"
	"syscall"
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
)

// errRoundTripsDone ends SocketpairPingPong's Polling once b.N round trips are done.
var errRoundTripsDone = errors.New("netpolltest: round trips done")

// SocketpairPingPong measures one round trip of one byte through Polling: the loop echoes what
// arrives on one end, and the other end sends the next byte when the echo arrives. Both ends
// are served by the same event loop, so the figure is the poller's cost per readiness event
// plus four system calls. Call it from a Benchmark function only.
func SocketpairPingPong[P netpoll.Poller](b *testing.B, open Opener[P]) {
	p := openForBenchmark(b, open)
	echoer, pinger := socketPair(b)
	if err := p.Register(echoer, netpoll.Token(echoer), netpoll.EventRead); err != nil {
		b.Fatal(err)
	}
	if err := p.Register(pinger, netpoll.Token(pinger), netpoll.EventRead); err != nil {
		b.Fatal(err)
	}
	var buf [1]byte
	roundTrips := 0
	onReady := func(token netpoll.Token, _ netpoll.Event) error {
		fd := int(token)
		n, err := syscall.Read(fd, buf[:])
		if err != nil || n != 1 {
			return errShortIO(err)
		}
		if fd == pinger {
			roundTrips++
			if roundTrips == b.N {
				return errRoundTripsDone
			}
		}
		_, err = syscall.Write(fd, buf[:])
		return err
	}

	b.ReportAllocs()
	b.ResetTimer()
	if _, err := syscall.Write(pinger, buf[:]); err != nil {
		b.Fatal(err)
	}
	err := p.Polling(onReady, nil)
	b.StopTimer()
	if !errors.Is(err, errRoundTripsDone) {
		b.Fatalf("Polling returned %v, want %v", err, errRoundTripsDone)
	}
}

// socketPair returns two connected, non-blocking Unix stream sockets, closed when the
// benchmark ends. Darwin has no SOCK_NONBLOCK, so the sockets are made non-blocking after.
func socketPair(b *testing.B) (local, peer int) {
	b.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, fd := range fds {
			if err := syscall.Close(fd); err != nil {
				b.Error(err)
			}
		}
	})
	for _, fd := range fds {
		if err := syscall.SetNonblock(fd, true); err != nil {
			b.Fatal(err)
		}
	}
	return fds[0], fds[1]
}

// errShortIO turns a failed or empty one-byte read into an error that stops the benchmark.
func errShortIO(err error) error {
	if err != nil {
		return err
	}
	return syscall.EIO
}
