package server

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/netpoll"
)

// The loop's side of dialing: a socket whose connect is in progress is registered for
// writability; when it becomes writable the connect has finished, and SO_ERROR says how.

// runDial takes a dial over: registers its socket and, if already connected, opens it.
func runDial(arg any) error {
	d := arg.(*dialOp)
	if !d.owner.CompareAndSwap(ownerNone, ownerLoop) {
		return nil // the dialer gave up after the loop stopped; it closed the socket
	}
	el := d.el
	if d.cancelled {
		closeFDs([]int{d.fd})
		d.answer(nil, d.cancelErr)
		return nil
	}
	c := newConn(d.fd, el, d.remote)
	c.datagram = !d.ep.isStream()
	c.ext().dial = d
	d.conn = c
	el.addConn(c)
	el.connCount.Add(1)
	if d.connected {
		if err := el.watch(c, netpoll.EventRead); err != nil {
			el.closeConn(c, err)
			return nil
		}
		el.establish(c)
		return nil
	}
	c.state = connConnecting
	if err := el.watch(c, netpoll.EventWrite); err != nil {
		el.closeConn(c, err)
	}
	return nil
}

// finishConnect completes a connect the kernel has reported on.
func (el *eventloop) finishConnect(c *conn) {
	soErr, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err == nil && soErr != 0 {
		err = syscall.Errno(soErr)
	}
	if err != nil {
		el.closeConn(c, dialError(c.dialOp().ep, os.NewSyscallError("connect", err)))
		return
	}
	if err := el.watch(c, netpoll.EventRead); err != nil {
		el.closeConn(c, err)
		return
	}
	el.establish(c)
}

// establish opens a connected socket: options, OnOpened, and the answer to the dialer.
func (el *eventloop) establish(c *conn) {
	if _, isUnix := c.remote.(*unix.SockaddrUnix); !isUnix && !c.datagram {
		if err := setStreamOptions(c.fd, el.cfg); err != nil {
			el.closeConn(c, err)
			return
		}
	}
	c.state = connOpen
	el.stats.dialed.Add(1)
	if el.cfg.Tlsconfig != nil {
		if err := el.startTLS(c, clientTLSConfig(el.cfg.Tlsconfig, c.dialOp().ep.address), true); err != nil {
			el.closeConn(c, err)
			return
		}
	}
	el.open(c)
	c.dialOp().answer(c, nil)
}

// runCancelDial gives up a dial whose context ended before the connect finished.
func runCancelDial(arg any) error {
	d := arg.(*dialOp)
	if d.conn == nil {
		d.cancelled = true // runDial has not run yet; it will give up at once
		return nil
	}
	if c := d.conn; c.state == connConnecting {
		d.el.closeConn(c, d.cancelErr)
	}
	return nil
}

// answer tells the dialer how its dial ended, once. Only the loop calls it.
func (d *dialOp) answer(c *conn, err error) {
	if d.answered {
		return
	}
	d.answered = true
	if d.timer != nil {
		d.timer.Stop()
	}
	if d.done != nil {
		d.el.callDialDone(d, c, err)
		return
	}
	if err != nil {
		d.result <- dialResult{err: err}
		return
	}
	d.result <- dialResult{conn: c}
}
