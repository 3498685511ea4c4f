package server

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
)

// dialOp is a connection on its way from a dialing goroutine to the loop that will serve it.
// The loop answers exactly once on result.
type dialOp struct {
	el        *eventloop
	conn      *conn // set by the loop once it has taken the op
	answered  bool  // the loop has answered on result
	ep        endpoint
	fd        int
	remote    unix.Sockaddr
	connected bool // the connect finished at once (unix, udp, or a taken-over conn)
	result    chan dialResult
	// done, when set, receives the outcome on the loop instead of result (DialFrom).
	done  func(api.Conn, error)
	timer *time.Timer
	// owner decides who closes fd when things go wrong: the loop once it has taken the op,
	// the dialer if the loop stopped before it did.
	owner atomic.Int32
	// cancelled is set by the loop when the dialer gave up before the connect finished.
	cancelled bool
	cancelErr error
}

const (
	ownerNone int32 = iota
	ownerLoop
	ownerDialer
)

type dialResult struct {
	conn api.Conn
	err  error
}

// startConnect opens a non-blocking socket and starts connecting it to ep.
func startConnect(ep endpoint) (*dialOp, error) {
	var sa unix.Sockaddr
	family := unix.AF_UNIX
	switch ep.network {
	case "unix":
		sa = &unix.SockaddrUnix{Name: ep.address}
	case "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6":
		var err error
		if sa, family, err = resolveInet(ep); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedNetwork, ep.network)
	}
	sotype := unix.SOCK_STREAM
	if !ep.isStream() {
		sotype = unix.SOCK_DGRAM
	}
	fd, err := sysSocket(family, sotype, 0)
	if err != nil {
		return nil, dialError(ep, os.NewSyscallError("socket", err))
	}
	d := &dialOp{ep: ep, fd: fd, remote: sa, result: make(chan dialResult, 1)}
	switch err := unix.Connect(fd, sa); err {
	case nil:
		d.connected = true
	case unix.EINPROGRESS, unix.EINTR:
		// Finishes in the background; the loop learns the outcome from writability.
	default:
		_ = unix.Close(fd) // the connect error is the one worth reporting
		return nil, dialError(ep, os.NewSyscallError("connect", err))
	}
	return d, nil
}

func dialError(ep endpoint, err error) error {
	return &net.OpError{Op: "dial", Net: ep.network, Addr: dialAddr(ep), Err: err}
}

// dialAddr is the address for error messages.
type dialAddr endpoint

func (a dialAddr) Network() string { return a.network }
func (a dialAddr) String() string  { return a.address }

// takeOver duplicates nc's descriptor for a loop and closes nc.
func takeOver(nc net.Conn) (*dialOp, error) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil, fmt.Errorf("%w: %T exposes no descriptor", ErrUnsupportedNetwork, nc)
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	var dupErr error
	if err := raw.Control(func(s uintptr) {
		fd, dupErr = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0)
	}); err != nil {
		return nil, err
	}
	if dupErr != nil {
		return nil, os.NewSyscallError("fcntl F_DUPFD_CLOEXEC", dupErr)
	}
	network := nc.RemoteAddr().Network()
	if closeErr := nc.Close(); closeErr != nil {
		_ = unix.Close(fd) // the close error is the one worth reporting
		return nil, closeErr
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		_ = unix.Close(fd)
		return nil, os.NewSyscallError("setnonblock", err)
	}
	remote, err := unix.Getpeername(fd)
	if err != nil {
		_ = unix.Close(fd)
		return nil, os.NewSyscallError("getpeername", err)
	}
	ep := endpoint{network: network, address: nc.RemoteAddr().String()}
	return &dialOp{ep: ep, fd: fd, remote: remote, connected: true, result: make(chan dialResult, 1)}, nil
}

// await hands d to el and waits for the loop's answer, ctx, or the engine stopping.
func (d *dialOp) await(ctx context.Context, el *eventloop) (api.Conn, error) {
	d.el = el
	if err := el.trigger(runDial, d); err != nil {
		_ = unix.Close(d.fd) // the loop never saw it
		return nil, err
	}
	select {
	case r := <-d.result:
		return r.conn, r.err
	case <-ctx.Done():
		d.cancelErr = dialError(d.ep, ctx.Err())
		if el.trigger(runCancelDial, d) == nil {
			select {
			case r := <-d.result:
				return r.conn, r.err
			case <-el.srv.stopped:
			}
		}
	case <-el.srv.stopped:
	}
	// The loop stopped; if it never took the op, the descriptor is ours to close.
	if d.owner.CompareAndSwap(ownerNone, ownerDialer) {
		_ = unix.Close(d.fd)
	}
	return nil, ErrServerShutdown
}
