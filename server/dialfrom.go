package server

import (
	"fmt"
	"time"

	"github.com/gnetio/gnet/api"
)

// DialFrom starts connecting to address on network (as Dial takes them) from the event loop
// that serves from, so that the new connection shares that loop and its handler: the two halves
// of a proxy then relay to each other on one loop, without a hand-off between loops.
//
// It returns at once. done is called on that loop, exactly once: with the new connection right
// after its OnOpened (so OnOpened sees the dialed connection before done can mark it: tell it
// apart by its RemoteAddr, or mark the connections you accept instead), or with the reason the
// connect failed (refused, unreachable, or not
// finished within timeout; 0 means DefaultDialTimeout). A connection that never opened gets no
// OnClosed. from must be a connection of this package's servers or clients; DialFrom is safe
// from any goroutine.
func DialFrom(from api.Conn, network, address string, timeout time.Duration, done func(api.Conn, error)) error {
	c, ok := from.(*conn)
	if !ok {
		return fmt.Errorf("%w: DialFrom needs a stream connection of this engine, not %T", ErrInvalidOption, from)
	}
	if done == nil {
		return fmt.Errorf("%w: nil done callback", ErrInvalidOption)
	}
	if timeout <= 0 {
		timeout = DefaultDialTimeout
	}
	d, err := startConnect(endpoint{network: network, address: address})
	if err != nil {
		return err
	}
	el := c.el
	d.el = el
	d.done = done
	d.timer = time.AfterFunc(timeout, func() {
		d.cancelErr = dialError(d.ep, fmt.Errorf("connect did not finish within %v", timeout))
		_ = el.trigger(runCancelDial, d) // fails only once the loop has stopped and closed everything
	})
	if err := el.trigger(runDial, d); err != nil {
		d.timer.Stop()
		d.owner.Store(ownerDialer)
		closeFDs([]int{d.fd})
		return err
	}
	return nil
}
