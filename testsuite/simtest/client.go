package simtest

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// The client side: one goroutine runs a connection's script, another reads the server's
// stream into records, pausing or stopping when the script says.

const (
	streamBound = 15 * time.Second // each client's stream ends within this
	dialBound   = 5 * time.Second
)

// clientResult is what one client did and saw.
type clientResult struct {
	index    int
	dialErr  error
	sent     []unit // messages whose write returned nil
	maybe    *unit  // a message whose write failed: it may have arrived whole
	records  []unit
	parseErr error
	tail     int    // bytes after the last whole record
	end      string // how the stream ended: "eof", "error: …", "timeout", "self"
	endErr   error
	wentAway bool // the client closed, reset or stopped reading before its stream ended
	done     time.Time
	ops      int
	bytesIn  int64
}

type client struct {
	res      clientResult
	sc       *Scenario
	script   ConnScript
	conn     net.Conn
	raw      net.Conn // the socket under TLS
	pausedTo atomic.Int64
	stopRead atomic.Bool
	ended    atomic.Bool // the reader reached the end of the stream
	readDone chan struct{}
	parser   streamParser
	deadline time.Time
	msgSeq   int
	mu       sync.Mutex // guards res.wentAway against the reader
}

func runClient(s *Scenario, script ConnScript, addr string, tlsConf *tls.Config) clientResult {
	cl := &client{sc: s, script: script, readDone: make(chan struct{})}
	cl.res.index = script.Index
	cl.parser.ck = s.Setup.Codec
	cl.deadline = time.Now().Add(streamBound)
	cl.play(addr, tlsConf)
	cl.res.done = time.Now()
	return cl.res
}

// play dials, runs the script and collects what the reader saw.
func (cl *client) play(addr string, tlsConf *tls.Config) {
	s := cl.sc
	d := net.Dialer{Timeout: dialBound}
	raw, err := d.Dial(s.Setup.Network, addr)
	if err != nil {
		cl.res.dialErr = err
		return
	}
	cl.raw, cl.conn = raw, raw
	_ = raw.SetDeadline(cl.deadline)
	if tlsConf != nil {
		tc := tls.Client(raw, tlsConf)
		if err := tc.Handshake(); err != nil {
			cl.res.dialErr = err
			_ = raw.Close()
			return
		}
		cl.conn = tc
	}
	go cl.read()
	cl.run()
	<-cl.readDone
	cl.res.records = cl.parser.records
	cl.res.parseErr = cl.parser.err
	cl.res.tail = len(cl.parser.buf)
}

// run carries out the script, then, unless it ended the connection itself, ends its side and
// waits for the server's end of stream.
func (cl *client) run() {
	defer func() { _ = cl.conn.Close() }()
	if !cl.send(helloStep, unitSize(24, cl.sc.Setup.Codec), 0) {
		cl.waitEnd()
		return
	}
	for j, op := range cl.script.Ops {
		cl.res.ops++
		switch op.Kind {
		case opSend:
			if !cl.send(helloStep, op.Size, op.Split) {
				cl.waitEnd()
				return
			}
		case opPauseRead:
			cl.pausedTo.Store(time.Now().Add(time.Duration(op.Millis) * time.Millisecond).UnixNano())
		case opStopRead:
			cl.goAway()
			cl.stopRead.Store(true)
			_ = cl.conn.SetReadDeadline(time.Now()) // wakes the reader
		case opHalfClose:
			cl.halfClose()
			return
		case opClose:
			cl.goAway()
			return
		case opReset:
			cl.goAway()
			if tc, ok := cl.raw.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = cl.raw.Close()
			return
		default:
			if !cl.send(j, op.Size, 0) {
				cl.waitEnd()
				return
			}
		}
	}
	cl.halfClose()
}

// goAway marks the client as leaving before its stream ended, if it has not ended.
func (cl *client) goAway() {
	cl.mu.Lock()
	if !cl.ended.Load() {
		cl.res.wentAway = true
	}
	cl.mu.Unlock()
}

// halfClose ends the client's side and waits for the server's end of stream.
func (cl *client) halfClose() {
	var err error
	switch c := cl.conn.(type) {
	case *tls.Conn:
		err = c.CloseWrite()
	case interface{ CloseWrite() error }:
		err = c.CloseWrite()
	}
	_ = err // a connection the server reset already fails it; the reader sees why
	cl.waitEnd()
}

// waitEnd waits for the reader to reach the end of the stream, bounded by the deadline.
func (cl *client) waitEnd() {
	<-cl.readDone
}

// send writes one message carrying step, in two writes when split is inside it; false once
// the connection is broken.
func (cl *client) send(step, size, split int) bool {
	u := unit{kind: kindMessage, writer: cl.script.Index, seq: cl.msgSeq, step: step, length: size}
	b := frameMessage(newUnit(u), cl.sc.Setup.Codec)
	parts := [][]byte{b}
	if split > 0 && split < len(b) {
		parts = [][]byte{b[:split], b[split:]}
	}
	for _, p := range parts {
		if _, err := cl.conn.Write(p); err != nil {
			cl.res.maybe = &u
			return false
		}
	}
	cl.msgSeq++
	cl.res.sent = append(cl.res.sent, u)
	return true
}

// read takes the server's stream until its end, an error, the deadline or the script's stop.
func (cl *client) read() {
	defer close(cl.readDone)
	buf := make([]byte, 32<<10)
	for {
		if until := cl.pausedTo.Load(); until > 0 {
			if wait := time.Until(time.Unix(0, until)); wait > 0 {
				time.Sleep(wait)
			}
		}
		if cl.stopRead.Load() {
			cl.res.end = "self"
			return
		}
		n, err := cl.conn.Read(buf)
		cl.res.bytesIn += int64(n)
		if n > 0 {
			cl.parser.feed(buf[:n])
		}
		if err == nil {
			continue
		}
		cl.mu.Lock()
		cl.ended.Store(true)
		gone := cl.res.wentAway
		cl.mu.Unlock()
		var ne net.Error
		switch {
		case cl.stopRead.Load() || gone:
			cl.res.end = "self"
		case errors.Is(err, io.EOF):
			cl.res.end = "eof"
		case errors.As(err, &ne) && ne.Timeout():
			cl.res.end = "timeout"
		default:
			cl.res.end = "error"
			cl.res.endErr = err
		}
		return
	}
}
