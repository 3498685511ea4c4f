package server

import (
	"crypto/tls"
	"reflect"
	"time"

	"github.com/gnetio/gnet/api"
)

// Default limits. Each can be changed with the option named in its comment.
const (
	// DefaultWriteTimeout bounds how long pending output may make no progress (WithWriteTimeOut).
	DefaultWriteTimeout = 30 * time.Second
	// DefaultMaxOutbound is the most bytes a connection may have queued for sending
	// (WithMaxOutbound).
	DefaultMaxOutbound = 64 << 20
	// DefaultWriteHighWatermark is the pending output above which the loop stops reading from a
	// connection, so that a peer that sends without reading cannot grow our buffers
	// (WithWriteWatermarks).
	DefaultWriteHighWatermark = 1 << 20
	// DefaultWriteLowWatermark is the pending output below which reading resumes.
	DefaultWriteLowWatermark = 256 << 10
	// DefaultTLSHandshakeTimeout bounds a TLS handshake (WithTLSHandshakeTimeout).
	DefaultTLSHandshakeTimeout = 10 * time.Second
	// DefaultDrainTimeout bounds a graceful stop's wait for connections to close
	// (WithDrainTimeout).
	DefaultDrainTimeout = 30 * time.Second
	// DefaultRestartTimeout bounds a restart's wait for the new process to report that it
	// serves (WithRestartTimeout).
	DefaultRestartTimeout = 30 * time.Second
	// DefaultReadBufferSize is the size of each loop's socket read buffer (WithReadBufferSize).
	DefaultReadBufferSize = 64 << 10
	// DefaultLingerTimeout bounds how long a connection we close keeps reading and discarding
	// what its peer still sends (WithLingerTimeout). Long enough for a peer across a slow
	// network to read our last reply and end of stream, short enough that a peer that keeps
	// sending costs little: nginx, whose lingering_close this is, waits up to 5 s for more
	// input; Go's net/http waits 0.5 s.
	DefaultLingerTimeout = 2 * time.Second
	// DefaultProxyHeaderTimeout bounds how long an accepted connection may take to send its
	// whole PROXY protocol header (WithProxyHeaderTimeout). A balancer sends it with the
	// connection's first bytes, so only a peer that is not one, or that stalls on purpose,
	// comes near it.
	DefaultProxyHeaderTimeout = 5 * time.Second
	// MaxLingerDiscard is the most bytes a lingering close reads and discards. A peer still
	// sending after that many is streaming, not finishing a pipeline: the loop stops reading
	// it, so that its writes block instead of costing the loop, and closes it at the linger
	// timeout.
	MaxLingerDiscard = 64 << 10
)

// LoadBalancing selects how a single acceptor spreads new connections over the event loops.
type LoadBalancing int

const (
	// RoundRobin hands connections to the loops in turn (the default).
	RoundRobin LoadBalancing = iota
	// LeastConnections hands each connection to the loop serving the fewest.
	LeastConnections
	// SourceAddrHash hands all connections from one source IP address to the same loop.
	SourceAddrHash
)

// ProxyMode says whether accepted connections begin with a PROXY protocol header
// (WithProxyProtocol).
type ProxyMode int

const (
	// ProxyOff: connections carry no header; their first byte is the application's (the
	// default).
	ProxyOff ProxyMode = iota
	// ProxyOptional: a connection may begin with a header or without one; its first bytes
	// decide. Any client that reaches the port can then claim any address.
	ProxyOptional
	// ProxyRequired: every connection must begin with a header; one that does not is
	// refused with ErrProxyHeaderMissing.
	ProxyRequired
)

// Options holds every setting of a server or client. Set them with the With functions, or many
// at once with WithOptions, which takes the fields that are not zero and leaves every other
// setting as the defaults and the options before it left it.
//
// In WithOptions a zero field leaves its setting alone, so that Options{LoopNum: 2} changes the
// loop count and nothing else. For most settings the default is what a zero field means below
// anyway (off, or a Default constant). Four settings are on by default and cannot be turned
// off through a zero field: Isblock (Serve blocks), TCPNoDelay (TCP_NODELAY is set),
// LingerTimeout (DefaultLingerTimeout) and Multicore (one loop per CPU). Turn them off with
// their With function after WithOptions: WithBlock(false), WithTCPNoDelay(false),
// WithLingerTimeout(0), and WithMulticore(false) or LoopNum 1.
type Options struct {
	// LoopNum is the number of event loops, and wins over Multicore when above 0; 0 means
	// one per CPU (runtime.NumCPU()), or one after WithMulticore(false) (default 0).
	LoopNum int
	// Multicore, when LoopNum is 0, runs one event loop per CPU. That is the default, which a
	// false field in WithOptions keeps: WithMulticore(false) after it (or LoopNum 1) asks for
	// one loop.
	Multicore bool
	// singleLoop is set by WithMulticore(false): one loop when LoopNum is 0.
	singleLoop bool
	// ReusePort gives every loop its own SO_REUSEPORT listener.
	ReusePort bool
	// Ticker makes the server call EventHandler.Tick.
	Ticker bool
	// TCPKeepAlive is the keep-alive idle time and probe interval of TCP connections, in
	// whole seconds (at least one); 0 means off.
	TCPKeepAlive time.Duration
	// Codec cuts inbound bytes into frames and encodes outbound ones; nil means passthrough.
	Codec api.ICodec
	// Isblock makes Serve block until the server stops (the default, which a false field in
	// WithOptions keeps: WithBlock(false) after it turns it off).
	Isblock bool
	// Tlsconfig makes every connection speak TLS: accepted ones as server, dialed ones as
	// client.
	Tlsconfig *tls.Config
	// TLSHandshakeTimeout bounds a TLS handshake; 0 means DefaultTLSHandshakeTimeout.
	TLSHandshakeTimeout time.Duration
	// TCPNoDelay sets TCP_NODELAY on TCP connections (the default, which a false field in
	// WithOptions keeps: WithTCPNoDelay(false) after it turns it off).
	TCPNoDelay bool
	// WriteTimeOut, in seconds, bounds how long pending output may make no progress and how
	// long FlushWrite waits; 0 means DefaultWriteTimeout.
	WriteTimeOut int
	// PidName is the path of the pid file; empty means none.
	PidName string
	// Graceful makes stopping graceful (connections are asked to close and drained) and
	// handles SIGINT/SIGTERM (stop) and, on Linux, SIGUSR2 (restart).
	Graceful bool
	// DrainTimeout bounds a graceful stop; 0 means DefaultDrainTimeout.
	DrainTimeout time.Duration
	// RestartTimeout bounds a restart's wait for the new process; 0 means
	// DefaultRestartTimeout.
	RestartTimeout time.Duration
	// Logger receives the engine's logs; nil means the default zap logger.
	Logger api.Logger
	// LoadBalancing is the policy of the single acceptor.
	LoadBalancing LoadBalancing
	// MaxOutbound is the most bytes a connection may have queued; 0 means DefaultMaxOutbound.
	MaxOutbound int
	// WriteHighWatermark and WriteLowWatermark bound the pending output between which reading
	// is paused; 0 means the defaults.
	WriteHighWatermark, WriteLowWatermark int
	// IdleTimeout closes connections that send nothing for this long; 0 means never.
	IdleTimeout time.Duration
	// ReadBufferSize is the size of each loop's read buffer; 0 means DefaultReadBufferSize.
	ReadBufferSize int
	// LingerTimeout bounds a lingering close; 0 means none. Its default is
	// DefaultLingerTimeout, which a zero field in WithOptions keeps: WithLingerTimeout(0)
	// after it turns lingering off.
	LingerTimeout time.Duration
	// HalfClose hands the peer's end of stream to api.ReadClosedHandler (WithHalfClose).
	HalfClose bool
	// PollHoldWait is how long an event loop with nothing ready keeps its processor while it
	// waits in the kernel (WithPollHoldWait); 0 or negative: not at all.
	PollHoldWait time.Duration
	// ProxyProtocol says whether accepted connections begin with a PROXY protocol header
	// (WithProxyProtocol); ProxyOff by default.
	ProxyProtocol ProxyMode
	// ProxyHeaderTimeout bounds the wait for a whole PROXY protocol header; 0 means
	// DefaultProxyHeaderTimeout.
	ProxyHeaderTimeout time.Duration
	// StallThreshold turns the stall watchdog on: a turn of an event loop that runs longer
	// is reported (WithStallThreshold); 0 means off.
	StallThreshold time.Duration
	// UDPGRO asks the kernel to coalesce the datagrams a UDP socket receives (WithUDPGRO). On
	// by default, which a false field in WithOptions keeps: WithUDPGRO(false) after it turns
	// it off.
	UDPGRO bool
	// UDPGSO lets a turn's replies to one peer leave as one segmented send (WithUDPGSO). On
	// by default, which a false field in WithOptions keeps: WithUDPGSO(false) after it turns
	// it off.
	UDPGSO bool
}

// Option sets one setting of Options.
type Option func(opts *Options)

func defaultOptions() Options {
	return Options{Isblock: true, TCPNoDelay: true, LingerTimeout: DefaultLingerTimeout, UDPGRO: true, UDPGSO: true}
}

// WithOptions sets every field of opts that is not zero, as the With function of that field
// would; a zero field leaves its setting as it was (the default, unless an option before
// changed it). Options given after it change what it set. Isblock, TCPNoDelay, LingerTimeout,
// Multicore, UDPGRO and UDPGSO cannot be turned off through it: see Options.
func WithOptions(opts Options) Option { return func(o *Options) { overlayOptions(o, opts) } }

// overlayOptions copies every exported field of from that is not zero onto to. Reflection
// keeps a field added to Options from being forgotten here.
func overlayOptions(to *Options, from Options) {
	dst, src := reflect.ValueOf(to).Elem(), reflect.ValueOf(from)
	for i := range src.NumField() {
		if field := dst.Field(i); field.CanSet() && !src.Field(i).IsZero() {
			field.Set(src.Field(i))
		}
	}
	if from.Multicore {
		to.singleLoop = false
	}
}

// WithPollHoldWait sets how long an event loop that finds nothing ready sleeps in the kernel
// while keeping its Go processor, before it blocks the way the scheduler knows about (Linux,
// epoll_pwait2; kqueue ignores it). Keeping the processor spares the loop the thread
// hand-off a blocking system call may cause; the price is a kernel timer armed and cancelled
// at every wait that finds nothing ready, and that goroutines waiting for that processor, and
// a garbage-collector pause, may wait that long. Default 0: off, because on the machines we
// measure on the timer costs more than the hand-off saves (a 50µs hold: 1.14× the server CPU
// per message at 4 connections with one message in flight, 1.06× for HTTP at 100
// connections); at most 1ms. Measure your own load before turning it on.
func WithPollHoldWait(d time.Duration) Option { return func(o *Options) { o.PollHoldWait = d } }

// WithStallThreshold turns on the stall watchdog: a callback or task that holds its event loop
// longer than d (one turn of the loop: the callbacks and tasks between two waits) is reported
// once, while it still holds the loop, through the logger at warning level, with the loop's
// index, the connection it serves, how long it has held the loop and the loop goroutine's
// stack at that moment, and counted in the statistics (api.LoopStats.Stalls). A goroutine
// looks at every loop each d/2, so a stall is reported between d and 1.5·d after it began.
// Printing the stack stops the program for as long as it takes to print every goroutine's, so
// choose a d that only a fault reaches (100ms, say, where callbacks take microseconds).
// Default 0: off.
func WithStallThreshold(d time.Duration) Option { return func(o *Options) { o.StallThreshold = d } }

// WithMulticore(true) runs one event loop per CPU, which is also the default; WithMulticore(false)
// runs one loop. A loop count above 0 (WithLoopNum, Options.LoopNum) wins over either,
// whatever the order of the options; between WithMulticore calls the last wins.
func WithMulticore(multicore bool) Option {
	return func(o *Options) { o.Multicore, o.singleLoop = multicore, !multicore }
}

// WithLoopNum sets the number of event loops; above 0 it wins over WithMulticore, whatever
// their order (default 0: one per CPU, or one with WithMulticore(false)).
func WithLoopNum(n int) Option { return func(o *Options) { o.LoopNum = n } }

// WithReusePort gives every event loop its own listening socket with SO_REUSEPORT, so that the
// kernel spreads connections over them (default false: one acceptor).
func WithReusePort(reusePort bool) Option { return func(o *Options) { o.ReusePort = reusePort } }

// WithTicker makes the server call EventHandler.Tick (default false).
func WithTicker(ticker bool) Option { return func(o *Options) { o.Ticker = ticker } }

// WithTCPKeepAlive enables TCP keep-alive (SO_KEEPALIVE) on TCP connections, with period as both
// the idle time before the first probe and the interval between probes, in whole seconds (a
// shorter period counts as one second; OpenBSD uses its system-wide times) (default 0: off).
func WithTCPKeepAlive(period time.Duration) Option {
	return func(o *Options) { o.TCPKeepAlive = period }
}

// WithTCPNoDelay sets TCP_NODELAY on TCP connections, so small writes are not delayed by
// Nagle's algorithm (default true).
func WithTCPNoDelay(noDelay bool) Option { return func(o *Options) { o.TCPNoDelay = noDelay } }

// WithCodec sets the codec that cuts inbound bytes into frames and encodes replies (default:
// passthrough, every read is one frame of at most codec.DefaultMaxFrameLength bytes). A codec
// that implements api.PassthroughCodec, as codec.BuiltInFrameCodec does, is not called: the
// loop cuts each read into frames of at most its PassthroughLimit bytes, without a copy.
func WithCodec(codec api.ICodec) Option { return func(o *Options) { o.Codec = codec } }

// WithBlock sets whether Serve blocks until the server stops (default true) or returns as soon
// as the server is serving.
func WithBlock(block bool) Option { return func(o *Options) { o.Isblock = block } }

// WithTls makes every connection speak TLS with config, built on crypto/tls: accepted
// connections as server, dialed ones as client (ServerName defaults to the dialed host).
// Handlers see and write plaintext; OnOpened fires before the handshake, and output written
// before it completes is sent once it has (default: no TLS).
func WithTls(config *tls.Config) Option { return func(o *Options) { o.Tlsconfig = config } }

// WithTLSHandshakeTimeout bounds how long a TLS handshake may take before the connection is
// closed with ErrTLSHandshakeTimeout (default DefaultTLSHandshakeTimeout).
func WithTLSHandshakeTimeout(d time.Duration) Option {
	return func(o *Options) { o.TLSHandshakeTimeout = d }
}

// WithWriteTimeOut sets, in seconds, how long a connection's pending output may make no
// progress before the connection is closed with ErrWriteTimeout; it also bounds FlushWrite
// (default 0: DefaultWriteTimeout).
func WithWriteTimeOut(seconds int) Option { return func(o *Options) { o.WriteTimeOut = seconds } }

// WithPidName makes the serving process keep its pid in the file at name: written atomically at
// start, rewritten by the new process after a restart, removed on a clean exit. Serve refuses
// to start, with ErrPidFileInUse, while the file names another live process (default: no pid
// file).
func WithPidName(name string) Option { return func(o *Options) { o.PidName = name } }

// WithGraceful makes the server stop gracefully — stop accepting, call SignalClose for every
// open connection, wait for them to close (up to the drain timeout), then return from Serve —
// on Server.Close, a Shutdown action, SIGINT or SIGTERM; and, on Linux, restart without
// dropping a connection on SIGUSR2: a new copy of the program inherits the listening sockets,
// and this one drains once the new one serves (default false: stopping closes connections at
// once and signals are left alone).
func WithGraceful(graceful bool) Option { return func(o *Options) { o.Graceful = graceful } }

// WithDrainTimeout bounds a graceful stop: connections still open after d are closed with
// ErrDrainTimeout (default DefaultDrainTimeout).
func WithDrainTimeout(d time.Duration) Option { return func(o *Options) { o.DrainTimeout = d } }

// WithRestartTimeout bounds how long a restart waits for the new process to report that it
// serves before giving up and killing it; the old process then keeps serving (default
// DefaultRestartTimeout).
func WithRestartTimeout(d time.Duration) Option { return func(o *Options) { o.RestartTimeout = d } }

// WithLogger sets the logger (default: a zap logger writing to standard error at info level).
func WithLogger(logger api.Logger) Option { return func(o *Options) { o.Logger = logger } }

// WithLoadBalancing sets how the single acceptor spreads connections (default RoundRobin).
// Without effect with WithReusePort, where the kernel spreads them.
func WithLoadBalancing(lb LoadBalancing) Option { return func(o *Options) { o.LoadBalancing = lb } }

// WithMaxOutbound sets, in bytes, the most output a connection may have queued; a write that
// passes it closes the connection with ErrOutboundLimit (default DefaultMaxOutbound).
func WithMaxOutbound(bytes int) Option { return func(o *Options) { o.MaxOutbound = bytes } }

// WithWriteWatermarks sets, in bytes, the pending output above which the loop stops reading from
// a connection (high) and below which it reads again (low) (defaults DefaultWriteHighWatermark
// and DefaultWriteLowWatermark).
func WithWriteWatermarks(low, high int) Option {
	return func(o *Options) { o.WriteLowWatermark, o.WriteHighWatermark = low, high }
}

// WithIdleTimeout closes, with ErrIdleTimeout, connections from which nothing has been read for
// d, so that connections that open and then send nothing cannot pile up. It is checked about
// once a second, so a connection may live up to a second longer (default 0: never).
func WithIdleTimeout(d time.Duration) Option { return func(o *Options) { o.IdleTimeout = d } }

// WithReadBufferSize sets, in bytes, the size of each loop's socket read buffer: the most one
// read takes from a connection (default DefaultReadBufferSize).
func WithReadBufferSize(bytes int) Option { return func(o *Options) { o.ReadBufferSize = bytes } }

// WithLingerTimeout sets how long a connection closed by this side (a Close action, Conn.Close)
// may linger: once its output is written it is shut down for writing, so the peer reads our
// end of stream right after the last reply, and what the peer still sends is read and
// discarded (up to MaxLingerDiscard bytes, after which reading stops) until the peer ends its
// side or d passes; only then is the socket closed. Without it, closing a socket the peer is
// still sending to makes the kernel reset the connection, and the peer may lose the reply it
// has not read yet. Connections closed by a fault (a limit, a timeout, a codec error), after the
// peer's end of stream, or because the server stops do not linger; UDP never does.
//
// OnClosed fires when lingering starts, and the connection's methods return ErrConnClosed
// from then on; only the descriptor is held longer, counted among the connections a graceful
// stop waits for, and released at once when the server stops. The timeout is checked by the
// loop's housekeeping, so a lingering close may last longer by up to half of d (or 10 ms if that
// is more). 0 closes at once (default DefaultLingerTimeout).
func WithLingerTimeout(d time.Duration) Option { return func(o *Options) { o.LingerTimeout = d } }

// WithHalfClose, with a handler that implements api.ReadClosedHandler, keeps a connection open
// when the peer ends its side: OnReadClosed is called once and the connection stays open for
// writing until the handler closes it. Without the interface, or with false (the default), the
// peer's end of stream closes the connection once pending output is written. Pair it with
// api.HalfCloser's CloseWrite to relay a half-close, as a proxy does.
func WithHalfClose(halfClose bool) Option { return func(o *Options) { o.HalfClose = halfClose } }

// WithProxyProtocol makes the server read the PROXY protocol header, version 1 or 2 (HAProxy's
// send-proxy and send-proxy-v2), that a load balancer puts before the first byte of every
// connection it relays, and serve each connection as the client the header names: RemoteAddr
// and LocalAddr return the header's source and destination (a LOCAL or UNKNOWN header, such as
// a balancer's health check sends, keeps the socket's own), and the connection's
// api.ProxyConn returns the header with its TLVs. The header is read before anything else:
// before TLS (a header, then the ClientHello), before OnOpened, before the codec sees a byte.
//
// A connection whose header is missing (ProxyRequired), malformed, too long, cut short by the
// peer, or not whole within the header timeout (WithProxyHeaderTimeout) is closed without
// opening: neither OnOpened nor OnClosed is called for it. The handler hears of it through
// api.ProxyHeaderHandler, with an error that errors.Is matches to ErrProxyHeaderMissing,
// ErrProxyHeaderMalformed, ErrProxyHeaderTooLong, ErrProxyHeaderTruncated or
// ErrProxyHeaderTimeout; a handler without that method leaves the engine to log a warning (a
// connection closed before sending a byte, as a plain TCP health check is, only at debug
// level). A version 2 header may be at most proxyproto.DefaultMaxV2Length bytes.
//
// ProxyRequired is for a server behind a balancer, on a port that only the balancer can reach:
// a client allowed to send a header can claim any address. ProxyOptional serves connections
// with and without a header, deciding by their first bytes (a connection that begins like a
// header must complete one), which helps to move a service behind a balancer; use it only
// where the clients that reach the port directly are trusted. Default ProxyOff.
//
// Stream servers only (tcp and unix): Serve refuses it for udp, where the protocol's datagram
// form is rarely used. Dialed connections (Client, DialFrom) never read a header. The
// SourceAddrHash balancer hashes the socket's address, which is the load balancer's: the
// header is read on the loop the connection was given to.
func WithProxyProtocol(mode ProxyMode) Option { return func(o *Options) { o.ProxyProtocol = mode } }

// WithProxyHeaderTimeout bounds how long an accepted connection may take, from the accept, to
// send its whole PROXY protocol header; past it the connection is closed with
// ErrProxyHeaderTimeout. It is checked by the loop's housekeeping, so the wait may last up to
// half as long again (default DefaultProxyHeaderTimeout).
func WithProxyHeaderTimeout(d time.Duration) Option {
	return func(o *Options) { o.ProxyHeaderTimeout = d }
}

// WithUDPGRO sets UDP_GRO on the server's UDP sockets (Linux 5.0 and later): the kernel may
// hand a run of datagrams from one sender, all of one size but a shorter last, to one receive,
// which the loop splits again, so React still gets one datagram a call. It saves the kernel's
// work per datagram when senders send in UDP_SEGMENT batches. A socket that refuses it is
// served without it, logged once; other systems ignore it (default true).
func WithUDPGRO(gro bool) Option { return func(o *Options) { o.UDPGRO = gro } }

// WithUDPGSO lets the replies one turn of a loop makes to one peer of a UDP socket, all of one
// size but a shorter last, leave as one send with UDP_SEGMENT (Linux 4.18 and later), which
// the kernel cuts into the datagrams. A socket that refuses it is served without it, logged
// once, and a send the device cannot segment (EIO) is sent again one datagram at a time and
// turns it off for that socket; other systems ignore it (default true).
func WithUDPGSO(gso bool) Option { return func(o *Options) { o.UDPGSO = gso } }
