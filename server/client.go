package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gnetio/gnet/api"
)

// DefaultDialTimeout bounds Dial; DialContext takes its bound from its context.
const DefaultDialTimeout = 30 * time.Second

// ClientManage runs event loops for outbound connections. Connections it dials (or takes over)
// are served exactly like accepted ones: the same callbacks on the same kind of loop, the same
// Conn, codec, limits and timeouts.
//
// Create one with Client, Start it, Dial as many connections as needed from any goroutine, and
// Stop it when done. Stop closes every connection it serves with ErrServerShutdown.
type ClientManage struct {
	handler api.EventHandler
	opts    []Option

	mu     sync.Mutex
	engine *server
	next   atomic.Uint32 // round-robin position for new connections
}

// Client returns a ClientManage for handler with opts (the same options as Serve; listening
// options such as WithReusePort do not apply). Nothing runs until Start.
func Client(handler api.EventHandler, opts ...Option) *ClientManage {
	return &ClientManage{handler: handler, opts: opts}
}

// Start opens the client's event loops and calls OnInitComplete. It returns an error for
// invalid options, or if the client was already started.
func (cm *ClientManage) Start() error {
	if cm.handler == nil {
		return fmt.Errorf("%w: nil event handler", ErrInvalidOption)
	}
	cm.mu.Lock()
	defer cm.mu.Unlock()
	if cm.engine != nil {
		return ErrClientStarted
	}
	cfg, err := newConfig(cm.opts)
	if err != nil {
		return err
	}
	eng, err := newEngine(cm.handler, cfg)
	if err != nil {
		return err
	}
	eng.info = api.Server{
		Multicore:    cfg.loops > 1,
		NumEventLoop: cfg.loops,
		TCPKeepAlive: cfg.TCPKeepAlive,
		Close:        eng.close,
		Loops:        &loopGroup{srv: eng},
		Stats:        eng.stats,
	}
	if eng.initComplete() == api.Shutdown {
		eng.closeResources()
		return nil
	}
	if !eng.startUnlessStopping() { // Close was called from OnInitComplete
		<-eng.stopped
		return nil
	}
	cm.engine = eng
	return nil
}

// Stop closes every connection (OnClosed gets ErrServerShutdown) and stops the loops. Called
// from outside the client's own goroutines, it waits until they have stopped. Stopping a client
// that is not running does nothing.
func (cm *ClientManage) Stop() {
	cm.mu.Lock()
	eng := cm.engine
	cm.mu.Unlock()
	if eng != nil {
		eng.close()
	}
}

// Stats returns a snapshot of the client's statistics, per event loop and in total (see
// api.ServerStats); before Start, or when OnInitComplete stopped it, it is empty. Safe from
// any goroutine; after Stop the figures stay as they were.
func (cm *ClientManage) Stats() api.ServerStats {
	cm.mu.Lock()
	eng := cm.engine
	cm.mu.Unlock()
	if eng == nil {
		return api.ServerStats{Total: api.LoopStats{Index: -1}}
	}
	return eng.stats()
}

// running returns the engine, or an error if the client is not running.
func (cm *ClientManage) running() (*server, error) {
	cm.mu.Lock()
	eng := cm.engine
	cm.mu.Unlock()
	if eng == nil {
		return nil, ErrClientNotStarted
	}
	select {
	case <-eng.stopping:
		return nil, ErrServerShutdown
	default:
		return eng, nil
	}
}

// pickLoop spreads new connections over the loops in turn.
func (cm *ClientManage) pickLoop(eng *server) *eventloop {
	return eng.loops[int(cm.next.Add(1)-1)%len(eng.loops)]
}

// Dial connects to address on network (tcp, tcp4, tcp6, udp, udp4, udp6 or unix, as net.Dial
// takes them) within DefaultDialTimeout. See DialContext.
func (cm *ClientManage) Dial(network, address string) (api.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultDialTimeout)
	defer cancel()
	return cm.DialContext(ctx, network, address)
}

// DialContext connects to address on network without blocking any event loop: the connect is
// started here and completed by a loop, which then fires OnOpened and serves the connection. It
// returns once OnOpened has run, with the connection, or with the reason the connect failed
// (refused, unreachable, ctx done). A connection that never opened gets no OnClosed. Safe from
// any goroutine.
func (cm *ClientManage) DialContext(ctx context.Context, network, address string) (api.Conn, error) {
	eng, err := cm.running()
	if err != nil {
		return nil, err
	}
	ep := endpoint{network: network, address: address}
	d, err := startConnect(ep)
	if err != nil {
		return nil, err
	}
	return d.await(ctx, cm.pickLoop(eng))
}

// Enroll hands an established net.Conn (TCP, UDP or unix) over to the client's loops: the
// loop serves a duplicate of its descriptor, nc itself is closed, and OnOpened fires. Bytes nc
// had already buffered in user space (a bufio.Reader, say) are not carried over. Safe from any
// goroutine.
func (cm *ClientManage) Enroll(nc net.Conn) (api.Conn, error) {
	eng, err := cm.running()
	if err != nil {
		return nil, err
	}
	d, err := takeOver(nc)
	if err != nil {
		return nil, err
	}
	return d.await(context.Background(), cm.pickLoop(eng))
}

var (
	// ErrClientNotStarted is returned by Dial and Enroll before Start.
	ErrClientNotStarted = errors.New("gnet: client is not started")
	// ErrClientStarted is returned by a second Start.
	ErrClientStarted = errors.New("gnet: client is already started")
)
