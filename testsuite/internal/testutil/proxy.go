package testutil

import (
	"testing"

	"github.com/gnetio/gnet/server/proxyproto"
)

// ProxyHeader returns h as the bytes a load balancer sends: a version 1 line when h.Version is
// 1, a version 2 header otherwise. A Header its version cannot carry fails the test. Call it
// from the test's goroutine.
func ProxyHeader(t testing.TB, h proxyproto.Header) []byte {
	t.Helper()
	encode := proxyproto.AppendV2
	if h.Version == 1 {
		encode = proxyproto.AppendV1
	}
	wire, err := encode(nil, h)
	if err != nil {
		t.Fatalf("encoding %+v: %v", h, err)
	}
	return wire
}
