package server

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server/internal/gid"
)

// Serve starts a server for handler on addr and, unless WithBlock(false) is given, blocks until
// it stops.
//
// addr is "scheme://address": tcp, tcp4, tcp6, udp, udp4, udp6 or unix (for example
// "tcp://:9000", "udp4://127.0.0.1:5353", "unix:///run/app.sock"); no scheme means tcp. "tcp"
// and "udp" with no host serve IPv4 and IPv6 on one socket. A malformed address, an unknown
// scheme or an address in use is returned as an error.
//
// The server stops when a callback returns Shutdown, when Server.Close is called, or when an
// event loop fails; Serve then returns nil, or the loop's error.
func Serve(handler api.EventHandler, addr string, opts ...Option) error {
	if handler == nil {
		return fmt.Errorf("%w: nil event handler", ErrInvalidOption)
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return err
	}
	ep, err := parseEndpoint(addr)
	if err != nil {
		return err
	}
	if cfg.ProxyProtocol != ProxyOff && !ep.isStream() {
		return fmt.Errorf("%w: the PROXY protocol is read on stream connections only, not %s", ErrInvalidOption, ep)
	}
	inherited := takeInheritance()
	// Signals are caught from before anything announces this process as serving (the pid
	// file, OnInitComplete, the readiness report to a restarting parent): a stop or restart
	// signal sent as soon as it does must find a handler, not the default action.
	signals := notifySignals(cfg)
	if cfg.PidName != "" {
		if err := writePidFile(cfg.PidName, inherited.parent); err != nil {
			stopSignals(signals)
			closeFDs(inherited.fds)
			return err
		}
	}
	srv, err := newServer(handler, ep, cfg, inherited)
	if err != nil {
		stopSignals(signals)
		if cfg.PidName != "" {
			removePidFile(cfg.PidName)
		}
		return err
	}
	srv.signals = signals
	if srv.initComplete() == api.Shutdown {
		stopSignals(signals)
		srv.closeResources()
		if cfg.PidName != "" {
			removePidFile(cfg.PidName)
		}
		return nil
	}
	if !srv.startUnlessStopping() { // Server.Close was called from OnInitComplete
		<-srv.stopped
		stopSignals(signals)
		return nil
	}
	notifyReady()
	if !cfg.Isblock {
		return nil
	}
	<-srv.stopped
	return srv.err
}

// server is one running Serve call.
type server struct {
	cfg     *config
	handler api.EventHandler
	ep      endpoint
	info    api.Server

	// sockets are every socket the server opened, closed once all loops have stopped.
	sockets []*listener
	loops   []*eventloop
	// acceptor, when set, accepts on the one listener and hands connections to the loops.
	acceptor *eventloop
	balancer loadBalancer

	wg           sync.WaitGroup // the loops
	acceptorWG   sync.WaitGroup // the acceptor
	helpers      sync.WaitGroup // the ticker and the signal handler
	tickerGID    atomic.Uint64
	shutdownOnce sync.Once
	// lifecycle orders start against shutdown: Server.Close may be called from another
	// goroutine as soon as OnInitComplete has handed the server out, while Serve is still
	// starting the loops; shutdown must wait for them to have started (or for start to have
	// seen the stop and not started them).
	lifecycle sync.Mutex
	// startBarred is set, under lifecycle, once shutdown has begun: start must not run then.
	startBarred bool
	stopping    chan struct{} // closed when the server starts to stop
	stopped     chan struct{} // closed when it has stopped
	// loopsDone is closed once every loop has stopped: the watchdog runs until then.
	loopsDone chan struct{}
	errOnce   sync.Once
	err       error
	// handshakeSlots bounds the TLS handshakes running at once.
	handshakeSlots chan struct{}
	// signals receives the stop and restart signals of a graceful server; nil otherwise.
	signals chan os.Signal
	// handedOff is set once a restarted process serves the sockets: this one must not remove
	// the unix socket files on its way out.
	handedOff atomic.Bool
}

// closeFDs closes descriptors handed over that will not be used.
func closeFDs(fds []int) {
	for _, fd := range fds {
		_ = unix.Close(fd) // nothing else can be done with a descriptor we will not use
	}
}

// newEngine opens the event loops, without sockets: what a server and a client share. On
// failure it releases what it opened.
func newEngine(handler api.EventHandler, cfg *config) (*server, error) {
	srv := &server{
		cfg:       cfg,
		handler:   handler,
		stopping:  make(chan struct{}),
		stopped:   make(chan struct{}),
		loopsDone: make(chan struct{}),

		handshakeSlots: make(chan struct{}, handshakeSlotsFor()),
	}
	for i := range cfg.loops {
		el, err := newEventloop(srv, i)
		if err != nil {
			srv.closeResources()
			return nil, err
		}
		srv.loops = append(srv.loops, el)
	}
	return srv, nil
}

// newServer opens the loops and the sockets. On failure it releases what it opened.
func newServer(handler api.EventHandler, ep endpoint, cfg *config, inherited inheritance) (*server, error) {
	srv, err := newEngine(handler, cfg)
	if err != nil {
		closeFDs(inherited.fds)
		return nil, err
	}
	srv.ep = ep
	if err := srv.openSockets(inherited); err != nil {
		srv.closeResources()
		return nil, err
	}
	srv.info = api.Server{
		Multicore:    cfg.loops > 1,
		Addr:         srv.sockets[0].addr,
		NumEventLoop: cfg.loops,
		ReUsePort:    srv.reusePort(),
		TCPKeepAlive: cfg.TCPKeepAlive,
		Close:        srv.close,
		Loops:        &loopGroup{srv: srv},
		Stats:        srv.stats,
	}
	return srv, nil
}

// reusePort reports whether every loop gets its own SO_REUSEPORT socket. Unix sockets have no
// such thing.
func (s *server) reusePort() bool { return s.cfg.ReusePort && s.ep.network != "unix" }

// openSockets binds the server's sockets and gives each to the loop (or acceptor) serving it.
func (s *server) openSockets(inherited inheritance) error {
	ep := s.ep
	count := 1
	if s.reusePort() {
		count = len(s.loops)
	}
	if len(inherited.fds) > count {
		closeFDs(inherited.fds[count:]) // more than this server serves on; not ours to keep
		inherited.fds = inherited.fds[:count]
	}
	for i := range count {
		var ln *listener
		var err error
		if i < len(inherited.fds) {
			ln, err = adopt(inherited.fds[i], ep, inherited.source)
			if err != nil {
				closeFDs(inherited.fds[i:])
			}
		} else {
			ln, err = listen(ep, s.reusePort())
		}
		if err != nil {
			return err
		}
		s.sockets = append(s.sockets, ln)
		if ep.isStream() && ep.network != "unix" {
			ln.prepareAcceptedOptions(s.cfg)
		}
		if i == 0 && ep.network != "unix" {
			// Port 0 picks a port once; the other loops' sockets must share it.
			ep.address = ln.addr.String()
		}
		switch {
		case !ep.isStream():
			s.loops[i].udp[ln.fd] = ln
		case s.reusePort() || len(s.loops) == 1:
			s.loops[i].listeners = append(s.loops[i].listeners, ln)
		default:
			acceptor, err := newEventloop(s, -1)
			if err != nil {
				return err
			}
			acceptor.listeners = []*listener{ln}
			s.acceptor = acceptor
			s.balancer = newLoadBalancer(s.cfg.LoadBalancing, s.loops)
		}
	}
	return nil
}

// initComplete calls OnInitComplete before any connection is served.
func (s *server) initComplete() (action api.Action) {
	defer func() {
		if r := recover(); r != nil {
			s.cfg.logger.Errorf("gnet: OnInitComplete panicked: %v", r)
			action = api.Shutdown
		}
	}()
	return s.handler.OnInitComplete(s.info)
}

// startUnlessStopping runs start, unless a stop has already begun; it reports whether it did.
func (s *server) startUnlessStopping() bool {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	if s.startBarred {
		return false
	}
	s.start()
	return true
}

// barStart keeps start from running from now on, waiting first for a start in progress.
func (s *server) barStart() {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.startBarred = true
}

// start runs the loops, the acceptor, the ticker and the signal handler. Called through
// startUnlessStopping only.
func (s *server) start() {
	// A runtime timer fires before any loop runs: the Go runtime creates its own poller
	// descriptors when the first timer is added to its heap, and a loop that accepted up to the
	// descriptor limit first would leave the runtime unable to, which is fatal. (A timer
	// stopped before it is added does not do it.)
	time.Sleep(time.Nanosecond)
	s.startWatchdog()
	for _, el := range s.loops {
		s.runLoop(el, &s.wg)
	}
	if s.acceptor != nil {
		s.runLoop(s.acceptor, &s.acceptorWG)
	}
	if s.cfg.Ticker {
		s.helpers.Add(1)
		go s.tick()
	}
	if s.signals != nil {
		s.helpers.Add(1)
		go s.handleSignals()
	}
}

func (s *server) runLoop(el *eventloop, wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := el.run(); err != nil {
			s.cfg.logger.Errorf("gnet: event loop %d stopped: %v", el.idx, err)
			s.fail(err)
		}
		el.halted.Store(true)
		el.closeAll(ErrServerShutdown)
		// Timers still pending are dropped without running, as the docs promise.
		el.timers.Clear()
		// Closing the poller drops the tasks still queued; writers waiting on them are
		// released by s.stopped.
		if err := el.poller.Close(); err != nil {
			s.cfg.logger.Debugf("gnet: closing poller of loop %d: %v", el.idx, err)
		}
	}()
}

// fail records the first error that stops the server and stops it.
func (s *server) fail(err error) {
	s.errOnce.Do(func() { s.err = err })
	s.signalShutdown()
}

// close is Server.Close: it stops the server and, unless called from one of the server's own
// goroutines (a callback, Tick), waits until it has stopped.
func (s *server) close() {
	s.signalShutdown()
	if !s.onOwnGoroutine() {
		<-s.stopped
	}
}

func (s *server) onOwnGoroutine() bool {
	me := gid.Current()
	if me == s.tickerGID.Load() {
		return true
	}
	for _, el := range s.loops {
		if el.onLoop() {
			return true
		}
	}
	return s.acceptor != nil && s.acceptor.onLoop()
}

// signalShutdown starts stopping the server, once; it does not wait.
func (s *server) signalShutdown() {
	s.shutdownOnce.Do(func() {
		close(s.stopping)
		go s.shutdown()
	})
}

// shutdown stops accepting, drains connections when graceful, then stops every loop (which
// closes the connections left with ErrServerShutdown, or ErrDrainTimeout after a drain), then
// releases the sockets and the pid file.
func (s *server) shutdown() {
	s.barStart()
	s.stopAccepting()
	reason := ErrServerShutdown
	if s.cfg.Graceful && s.drain() {
		reason = ErrDrainTimeout
	}
	for _, el := range s.loops {
		_ = el.trigger(runStop, &stopOp{el: el, reason: reason}) // fails only if the loop has already stopped
	}
	s.wg.Wait()
	close(s.loopsDone)
	s.helpers.Wait()
	s.closeResources()
	if s.cfg.PidName != "" {
		removePidFile(s.cfg.PidName)
	}
	close(s.stopped)
}

// closeResources releases sockets and pollers. Loops close their own pollers when they
// stop; this covers loops that never started.
func (s *server) closeResources() {
	for _, ln := range s.sockets {
		if s.handedOff.Load() {
			ln.unixPath = "" // the successor serves on that file now
		}
		if err := ln.close(); err != nil {
			s.cfg.logger.Warnf("gnet: closing %s: %v", ln.ep, err)
		}
	}
	s.sockets = nil
	for _, el := range append(s.loops, s.acceptor) {
		if el != nil {
			_ = el.poller.Close() // idempotent; an error here has nothing left to release
		}
	}
}

// tick calls Tick on its own goroutine, after each returned delay, until the server stops.
func (s *server) tick() {
	defer s.helpers.Done()
	s.tickerGID.Store(gid.Current())
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-s.stopping:
			return
		case <-timer.C:
		}
		delay, action := s.callTick()
		if action == api.Shutdown {
			s.signalShutdown()
			return
		}
		if delay <= 0 {
			delay = time.Second
		}
		timer.Reset(delay)
	}
}

func (s *server) callTick() (delay time.Duration, action api.Action) {
	defer func() {
		if r := recover(); r != nil {
			s.cfg.logger.Errorf("gnet: Tick panicked: %v", r)
			delay, action = time.Second, api.None
		}
	}()
	return s.handler.Tick()
}
