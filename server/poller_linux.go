//go:build linux

package server

import (
	"github.com/gnetio/gnet/api/netpoll"
	poller "github.com/gnetio/gnet/poller-linux"
)

// openPoller opens the platform's poller: epoll and eventfd.
func openPoller(cfg *config) (netpoll.Poller, error) {
	return poller.Open(netpoll.Options{HoldWait: cfg.PollHoldWait})
}
