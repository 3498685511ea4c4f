//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package pollertest

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	poller "github.com/gnetio/gnet/poller-bsd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openPoller opens the kqueue backend and closes it when the test ends.
func openPoller(t testing.TB, opts netpoll.Options) netpoll.Poller {
	t.Helper()
	p, err := poller.Open(opts)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, p.Close()) })
	return p
}
