//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package server

import (
	"github.com/gnetio/gnet/api/netpoll"
	poller "github.com/gnetio/gnet/poller-bsd"
)

// openPoller opens the platform's poller: kqueue and EVFILT_USER.
func openPoller(cfg *config) (netpoll.Poller, error) {
	return poller.Open(netpoll.Options{HoldWait: cfg.PollHoldWait})
}
