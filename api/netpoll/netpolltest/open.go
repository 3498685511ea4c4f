package netpolltest

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
)

// Opener is a backend's Open function.
type Opener[P netpoll.Poller] func(netpoll.Options) (P, error)

// openForBenchmark opens a poller with the default options and closes it when the benchmark
// ends; Close is idempotent, so a benchmark may close it earlier.
func openForBenchmark[P netpoll.Poller](b *testing.B, open Opener[P]) P {
	b.Helper()
	p, err := open(netpoll.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := p.Close(); err != nil {
			b.Error(err)
		}
	})
	return p
}
