// Package server is gnet's engine: it listens, accepts, reads and writes connections on event
// loops that talk to epoll (Linux) or kqueue (macOS and the BSDs) directly, cuts inbound bytes
// into frames with a codec and calls an api.EventHandler for every event.
//
// A server is one call:
//
//	type echo struct{ api.EventServer }
//
//	func (e *echo) React(frame []byte, c api.Conn) api.Action {
//		_ = c.AsyncWrite(frame)
//		return api.None
//	}
//
//	log.Fatal(server.Serve(&echo{}, "tcp://:9000", server.WithMulticore(true)))
//
// # Event loops
//
// Serve runs one event loop per CPU unless told otherwise: WithMulticore(false) asks for one,
// WithLoopNum(n) for n, which wins over WithMulticore whatever the order of the two. Every
// connection belongs to one loop for its whole life and all of its callbacks run there, one at
// a time. With WithReusePort every loop has its own SO_REUSEPORT listener and the kernel
// spreads connections; otherwise a single acceptor hands them out by a LoadBalancing policy.
//
// # Writing
//
// A write made in a callback on the connection's loop (AsyncWrite, WriteNoCodec) is appended to
// the connection's outbound buffer. A write from another goroutine is copied and handed to the
// loop through a lock-free queue, which wakes the loop once per batch of such writes; the loop
// appends it to the same buffer. Once the loop has served a connection's readiness, that
// connection's replies are written with one writev, however many React produced; at the end of
// every turn of the loop (the ready connections of one wait, then the queued tasks) each other
// connection with output is, once, however many writes the turn made. Output that the peer does not take is bounded: above the
// high watermark the loop stops reading from the connection until the output drains below the
// low watermark, past MaxOutbound the connection is closed with ErrOutboundLimit, and output
// that makes no progress for the write timeout closes it with ErrWriteTimeout.
//
// # Closing
//
// A connection this side closes in order (a Close action, Conn.Close) is closed once its
// pending output is written, and then lingers (WithLingerTimeout): it is shut down for writing,
// so the peer reads our end of stream right after the last reply, and what the peer still
// sends is discarded for a bounded time instead of making the kernel reset the connection,
// which could cost the peer that reply. OnClosed fires when the linger starts; only the
// descriptor is held longer. A write that another goroutine's AsyncWrite or WriteAndFlush
// accepted before the close (or before a CloseWrite) was requested still goes out ahead of
// our end of stream, even when it reaches the loop after the request. A connection whose peer ends its side first is closed at once.
//
// Stream connections also implement api.HalfCloser: CloseWrite sends our end of stream while
// reading goes on. With WithHalfClose and a handler that implements api.ReadClosedHandler, the
// peer's end of stream is reported to OnReadClosed instead of closing the connection. A proxy
// uses both to pass a half-close from one side to the other.
//
// # Faults
//
// A panic in a callback is recovered and logged with its stack; it closes only the connection
// the callback was for, with ErrHandlerPanic. Running out of descriptors pauses accepting
// briefly instead of spinning. A codec error closes only its connection, with the error passed
// to OnClosed. Every system call a connection makes passes a seam, package api/sysfault
// (sysio_seam.go), through which a build with the gnetfaults tag injects system-call faults;
// a normal build compiles it away.
//
// # Blocking in a callback
//
// A callback runs on its connection's event loop, and while it runs that loop serves nothing
// else: a callback that blocks (a database call, a sleep, a lock held elsewhere) holds up every
// connection of its loop until it returns. Do blocking work on a goroutine of your own and reply
// from there with AsyncWrite, which is safe from any goroutine.
//
// # PROXY protocol
//
// Behind a load balancer such as HAProxy, WithProxyProtocol(ProxyRequired) reads the PROXY
// protocol header (version 1 or 2) each connection begins with, before TLS and before the
// codec, and fires OnOpened only once it is read: RemoteAddr and LocalAddr are then the
// client's and the address it reached on the balancer, and api.ProxyConn returns the header's
// TLVs. A connection whose header is refused or late never opens; an api.ProxyHeaderHandler
// hears why. Package proxyproto parses and writes the headers.
//
// # Statistics and the stall watchdog
//
// Every loop counts its connections (accepted, dialed, open, closed by cause), bytes and frames
// each way, queued output, TLS handshakes, accept back-offs, turns, wake-ups and the time it
// spent busy and waiting. Server.Stats (and ClientManage.Stats) returns them per loop and in
// total, from any goroutine, without a lock. WithStallThreshold reports a callback or task that
// holds its loop too long, while it does, with the loop goroutine's stack.
//
// # UDP
//
// For udp addresses React is called once per datagram with a connection value that stands for
// its sender; reply with SendTo or AsyncWrite, from any goroutine. OnOpened and OnClosed are
// not called for datagrams, and the codec only encodes (a datagram is always one frame).
//
// What a handler may keep: the connection value. The loop keeps one per recent sender (up to
// 1,024 per loop) and hands it to React for each datagram that sender sends, so a steady
// sender costs no allocation; its address never changes and it is never
// handed out for another sender, so a handler may keep it after React and answer that sender
// later, from any goroutine, with SendTo or AsyncWrite, and RemoteAddr stays right. What it
// must copy: the frame, and anything Read or ReadN returned, which live in the loop's receive
// buffer until React returns. Context and SetContext belong to the connection value: a
// sender's datagrams usually share it, but a sender whose slot another took gets a new value
// with no context, so keep per-sender state in a map of your own when it must last.
//
// Sending (Linux): a datagram sent on the loop (in React, a task, a timer) is copied into the
// loop's batch of replies, which leaves at the end of the loop's turn (or earlier, when 64
// replies or 256 KiB are waiting) with one sendmmsg; a datagram sent from another goroutine
// is copied and handed to the loop, and joins the batch of its next turn. Either way SendTo
// returns once the datagram is queued: an error of the kernel's is logged, not returned
// (WriteAndFlush sends at once and returns it). On the BSDs and macOS every datagram is sent
// at once with sendto. Datagrams larger than IPv4's 65,507 bytes (IPv6's 65,527) are refused
// with EMSGSIZE at once.
//
// Receiving: on Linux the loop reads with recvmmsg, up to 64 datagrams a readiness. With
// WithUDPGRO (on by default) the kernel may hand a run of datagrams a sender sent with
// UDP_SEGMENT to one receive; the loop splits it, and React still gets one datagram a call.
// With WithUDPGSO (on by default), the replies of one turn to one peer, of one size but a
// shorter last, leave as one UDP_SEGMENT send. A socket that refuses either is served without
// it; the BSDs and macOS have neither and use recvfrom and sendto, one datagram each.
//
// # Where things are
//
// For contributors: the package's files by concern (platform variants carry a suffix).
//
//	server.go          Serve, the server's start and stop; graceful.go, restart_*.go,
//	                   inherit.go, pidfile.go: graceful stop, restart, inherited sockets
//	options.go         every option with its default; config.go resolves them
//	eventloop.go       one loop: its poller, the dispatch of ready registrations by token,
//	                   the end of each turn, stopping
//	accept.go          accepting, handing connections to loops, backing off at EMFILE;
//	                   accept_*.go the accept call per platform
//	proxy.go           the PROXY protocol header an accepted connection begins with, read
//	                   before it opens
//	conn.go            a connection's fields; conn_state.go its life cycle, read side and
//	                   write side as states, every transition, and the time bound of each
//	read.go            the read path: readiness, read, codec, React; conn_inbound.go the
//	                   inbound buffer as the handler sees it
//	write.go           the write path: the one funnel every write enters, the outbound
//	                   buffer, one writev per connection per turn, poller interest
//	inbox.go           every request another goroutine makes of a connection, carried out
//	                   on its loop
//	flushwrite.go      WriteAndFlush and FlushWrite: writes whose caller waits for the kernel
//	tls.go             TLS: the handshake off the loop, records on it (a branch of the
//	                   write funnel); tls_transport.go the bytes crypto/tls reads and writes
//	linger.go          lingering close; halfclose.go CloseWrite and OnReadClosed;
//	                   flowcontrol.go PauseRead, ResumeRead and writability
//	callbacks.go       every call into the handler, with panics contained
//	timers.go          work and timers on the loops (IEventLoop, IEventLoopGroup): a timing
//	                   wheel per loop, advanced at the end of each turn, bounding its wait
//	housekeeping.go    the sweep, a timer of each loop, that enforces the time bounds no
//	                   event would end
//	stats.go           the loops' counters, the close causes, Server.Stats; watchdog.go
//	                   the stall watchdog
//	udp_*.go           datagram sockets: udp_read.go receiving, udp_send.go sending,
//	                   udp_peers.go the connection of each recent sender, udp_conn.go that
//	                   connection; sysio_udp_*.go the system calls per platform (Linux:
//	                   receiving in batches, sysio_udp_send_linux.go sending them)
//	client*.go         Client: dialing out on the same loops; dialfrom.go DialFrom
//	socket*.go, addr.go, sysio_*.go, keepalive_*.go   sockets and system calls
package server
