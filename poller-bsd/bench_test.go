//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll/netpolltest"
)

func BenchmarkTriggerAndDrain(b *testing.B) { netpolltest.TriggerAndDrain(b, Open) }

func BenchmarkSocketpairPingPong(b *testing.B) { netpolltest.SocketpairPingPong(b, Open) }
