package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

type echo struct {
	api.EventServer
	started chan api.Server
	corrupt bool
}

func (e *echo) OnInitComplete(s api.Server) api.Action { e.started <- s; return api.None }
func (e *echo) React(frame []byte, c api.Conn) api.Action {
	if e.corrupt && len(frame) > 0 {
		frame = append([]byte(nil), frame...)
		frame[0] ^= 0xff
	}
	_ = c.AsyncWrite(frame)
	return api.None
}

func runDriver(t *testing.T, corrupt bool) *driver {
	t.Helper()
	h := &echo{started: make(chan api.Server, 1), corrupt: corrupt}
	require.NoError(t, server.Serve(h, "tcp://127.0.0.1:0", server.WithBlock(false)))
	srv := <-h.started
	defer srv.Close()
	flagSize = 32
	d := &driver{batch: makeBatch(32, 4)}
	d.measuring.Store(true)
	cm := server.Client(d, server.WithLoopNum(2))
	require.NoError(t, cm.Start())
	for range 8 {
		_, err := cm.Dial("tcp", srv.Addr.String())
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { n, _ := d.failures(); return d.trips.Load() >= 200 || n > 0 }, 10*time.Second, time.Millisecond)
	d.stopping.Store(true)
	cm.Stop()
	return d
}

func TestEchoClientCountsVerifiedRoundTrips(t *testing.T) {
	d := runDriver(t, false)
	errs, first := d.failures()
	assert.Zero(t, errs, first)
	assert.GreaterOrEqual(t, d.trips.Load(), uint64(200))
	assert.Equal(t, d.trips.Load()*4, d.messages.Load(), "four messages per round trip")
	assert.Positive(t, d.lat.quantile(0.99))
}

func TestEchoClientDetectsACorruptingServer(t *testing.T) {
	d := runDriver(t, true)
	errs, first := d.failures()
	assert.Positive(t, errs)
	assert.Contains(t, first, "mismatch")
}
