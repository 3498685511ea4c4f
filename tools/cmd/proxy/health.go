package main

import (
	"context"
	"net"
	"sync"
	"time"
)

// startHealthChecks starts one goroutine per backend that dials it every interval (the first
// time at once) with a plain net.Dialer, marking it up or down by the outcome and recording the
// address a name resolved to. The goroutines
// stop when ctx ends; the returned WaitGroup is done once they have.
func startHealthChecks(ctx context.Context, p *pool, interval, timeout time.Duration) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := range p.addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			checkUntilDone(ctx, p, i, interval, timeout)
		}()
	}
	return &wg
}

// checkUntilDone checks backend i every interval until ctx ends.
func checkUntilDone(ctx context.Context, p *pool, i int, interval, timeout time.Duration) {
	dialer := net.Dialer{Timeout: timeout}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		nc, err := dialer.DialContext(ctx, "tcp", p.addrs[i])
		switch {
		case ctx.Err() != nil:
			if err == nil {
				_ = nc.Close() // the check is abandoned; the connection carried nothing
			}
			return
		case err != nil:
			p.markDown(i, err)
		default:
			p.resolved(i, nc.RemoteAddr().String())
			// A connect is all the check asks of the backend; how the close goes says nothing
			// more about its health.
			_ = nc.Close()
			p.markUp(i)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
