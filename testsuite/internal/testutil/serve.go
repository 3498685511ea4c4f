package testutil

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// StartServer runs server.Serve(h, addr, opts...) with WithBlock(false), so that it returns
// once the server is serving, and returns the api.Server that OnInitComplete received: dial
// its Addr. Unless opts set another, the server logs to a Logger of its own. The server is
// closed when the test ends. Call it from the test's goroutine.
func StartServer(t testing.TB, h Recorded, addr string, opts ...server.Option) api.Server {
	t.Helper()
	all := append([]server.Option{server.WithLogger(new(Logger))}, opts...)
	all = append(all, server.WithBlock(false))
	require.NoError(t, server.Serve(h, addr, all...))
	srv, ok := h.Recording().Server()
	require.True(t, ok, "Serve returned before OnInitComplete fired")
	t.Cleanup(srv.Close)
	return srv
}

// ServeInBackground runs server.Serve(h, addr, opts...) on its own goroutine, for tests about
// how Serve returns. opts must leave Serve blocking, as it is by default: nothing is added to
// make it so, because whether options keep that default is itself tested. It waits until
// OnInitComplete has fired and returns the api.Server and a channel that receives Serve's
// result; a Serve that returns first fails the test. When the test ends the server is closed
// and Serve's return awaited. Call it from the test's goroutine.
func ServeInBackground(t testing.TB, h Recorded, addr string, opts ...server.Option) (api.Server, <-chan error) {
	t.Helper()
	all := append([]server.Option{server.WithLogger(new(Logger))}, opts...)
	result := make(chan error, 1)
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		result <- server.Serve(h, addr, all...)
	}()
	select {
	case <-h.Recording().Ready():
	case <-returned:
		t.Fatalf("Serve returned before serving: %v", <-result)
	case <-time.After(WaitLimit):
		t.Fatal("OnInitComplete never fired")
	}
	srv, _ := h.Recording().Server() // present: Ready is closed
	t.Cleanup(func() {
		srv.Close()
		select {
		case <-returned:
		case <-time.After(WaitLimit):
			t.Error("Serve did not return after Close")
		}
	})
	return srv, result
}

// WaitServeReturn waits for Serve's result on a channel from ServeInBackground and fails the
// test if it does not come within WaitLimit. Call it from the test's goroutine.
func WaitServeReturn(t testing.TB, result <-chan error) error {
	t.Helper()
	select {
	case err := <-result:
		return err
	case <-time.After(WaitLimit):
		t.Fatal("Serve did not return")
		return nil
	}
}
