//go:build linux

package poller

import (
	"github.com/gnetio/gnet/api/netpoll"
	"github.com/gnetio/gnet/buffer"
	"golang.org/x/sys/unix"
)

// Poller is the epoll backend's netpoll.Poller: the shared netpoll.Core driving an epoll
// instance, with an eventfd for wake-ups, for one event loop. Create it with Open. Its
// methods follow the threading rules of netpoll.Poller: Polling and the interest changes
// belong to the event loop's goroutine; Trigger, Close and Stats may be called from any
// goroutine.
type Poller = netpoll.Core[unix.EpollEvent]

var _ netpoll.Poller = (*Poller)(nil)

// Open creates an epoll instance and its wake-up eventfd, both close-on-exec. The zero
// Options select level-triggered notification, batches of 128 events and a budget of 256
// normal tasks per iteration; negative values fail with netpoll.ErrInvalidOptions before any
// descriptor is created. Call it from any goroutine; the Poller it returns is then driven by
// one event loop.
func Open(opts netpoll.Options) (*Poller, error) {
	return netpoll.NewCore(opts, openEpoll, new(buffer.TaskQueue))
}
