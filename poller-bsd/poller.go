//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"github.com/gnetio/gnet/api/netpoll"
	"github.com/gnetio/gnet/buffer"
	"golang.org/x/sys/unix"
)

// Poller is the kqueue backend's netpoll.Poller: the shared netpoll.Core driving a kqueue and
// its wake-up source, for one event loop. Create it with Open. kqueue reports read and write
// readiness of one descriptor as two entries; entries of one descriptor that the kernel
// returns next to each other reach the callback as one call, otherwise a descriptor can get
// two callbacks in one iteration, one per condition. The threading rules are those of
// netpoll.Poller.
type Poller = netpoll.Core[unix.Kevent_t]

var _ netpoll.Poller = (*Poller)(nil)

// Open creates a kqueue, close-on-exec, and its wake-up source. The zero Options select
// level-triggered notification, batches of 128 events and a budget of 256 normal tasks per
// iteration; negative values fail with netpoll.ErrInvalidOptions before the kqueue is
// created. Call it from any goroutine; the Poller it returns is then driven by one event loop.
func Open(opts netpoll.Options) (*Poller, error) {
	return netpoll.NewCore(opts, openKqueue, new(buffer.TaskQueue))
}
