package main

import (
	"crypto/tls"
	"errors"
	"io"
	"net"

	"github.com/gnetio/gnet/api"
)

// errFakeConn is what fakeConn returns for what it does not model.
var errFakeConn = errors.New("fakeConn: not supported")

// fakeConn is an in-memory api.Conn: inbound bytes are fed by the test, outbound bytes are
// collected in out. It models one connection on its loop, with none of the engine's
// machinery, so the handler path can be tested and measured on its own.
type fakeConn struct {
	in     []byte // in[read:] is unconsumed
	read   int
	out    []byte
	writes int // WriteNoCodec calls that succeeded
	ctx    any
	closed bool
}

var _ api.Conn = (*fakeConn)(nil)

func (fc *fakeConn) Context() any         { return fc.ctx }
func (fc *fakeConn) SetContext(ctx any)   { fc.ctx = ctx }
func (fc *fakeConn) LocalAddr() net.Addr  { return nil }
func (fc *fakeConn) RemoteAddr() net.Addr { return nil }
func (fc *fakeConn) Read() []byte         { return fc.in[fc.read:] }
func (fc *fakeConn) ResetBuffer()         { fc.in, fc.read = fc.in[:0], 0 }
func (fc *fakeConn) BufferLength() int    { return len(fc.in) - fc.read }
func (fc *fakeConn) SendTo([]byte) error  { return errFakeConn }
func (fc *fakeConn) Wake() error          { return nil }
func (fc *fakeConn) Close() error         { fc.closed = true; return nil }
func (fc *fakeConn) AsyncWrite(b []byte) error {
	return fc.WriteNoCodec(b)
}
func (fc *fakeConn) UpgradeTls(*tls.Config) error { return errFakeConn }

func (fc *fakeConn) ShiftN(n int) int {
	n = min(max(n, 0), fc.BufferLength())
	fc.read += n
	return n
}

func (fc *fakeConn) ReadN(n int) (int, []byte) {
	if n <= 0 || fc.BufferLength() < n {
		return 0, nil
	}
	buf := fc.in[fc.read : fc.read+n : fc.read+n]
	fc.read += n
	return n, buf
}

func (fc *fakeConn) WriteNoCodec(b []byte) error {
	if fc.closed {
		return errFakeConn
	}
	fc.out = append(fc.out, b...)
	fc.writes++
	return nil
}

func (fc *fakeConn) FlushWrite(b []byte, _ ...bool) {
	// A fake write cannot fail while the connection is open; after Close there is no one to
	// tell, as with the engine.
	_ = fc.WriteNoCodec(b)
}

// newFakeConn opens a fake connection on hs.
func newFakeConn(hs *httpServer) *fakeConn {
	fc := new(fakeConn)
	hs.OnOpened(fc)
	return fc
}

// feed delivers data as one read and runs the codec and React as the engine's loop does,
// until no whole request is buffered or React closes the connection. It returns the codec's
// error, if it is one that would close the connection. Once fc's buffers have grown it
// allocates nothing, so the benchmarks measure the handler alone.
func (fc *fakeConn) feed(hs *httpServer, data []byte) error {
	if fc.read > 0 {
		fc.in = append(fc.in[:0], fc.in[fc.read:]...)
		fc.read = 0
	}
	fc.in = append(fc.in, data...)
	for !fc.closed {
		frame, err := hs.codec.Decode(fc)
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil
			}
			return err
		}
		if frame == nil {
			return nil
		}
		if hs.React(frame, fc) == api.Close {
			fc.closed = true
		}
	}
	return nil
}
