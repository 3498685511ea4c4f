package simtest

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// The bytes on the wire. Every message a client sends and every record the server writes is
// self-describing: a header names its kind, its writer, its sequence number among that
// writer's, the script step it carries (messages only) and its whole length, and the body is
// derived from those, so a receiver tells a lost, repeated, reordered or corrupted byte apart.
// Header and body are printable ASCII between 'A' and 'z' apart from the header's brackets,
// so they never contain a codec's delimiter ('\n', '|') and a length field's first byte (0)
// never starts one.
//
//	<KwwssssttLLLLLL>body…   K kind, ww writer, ssss sequence, tt step, LLLLLL length (hex)

const (
	headerLen = 17
	// maxUnit is the largest message or record, header included.
	maxUnit = 60 << 10

	kindMessage = 'M' // client to server
	kindEncoded = 'E' // server to client through the codec (AsyncWrite, WriteAndFlush)
	kindRaw     = 'R' // server to client as it is (WriteNoCodec)

	delimiterByte = '|'
	fixedFrameLen = 16
	lengthFieldW  = 4
)

// unit is a decoded header.
type unit struct {
	kind   byte
	writer int
	seq    int
	step   int
	length int
}

// fillUnit writes the unit u (header and body) into b, which must be u.length long.
func fillUnit(b []byte, u unit) {
	b[0] = '<'
	b[1] = u.kind
	putHex(b[2:4], u.writer)
	putHex(b[4:8], u.seq)
	putHex(b[8:10], u.step)
	putHex(b[10:16], u.length)
	b[16] = '>'
	for i := headerLen; i < len(b); i++ {
		b[i] = bodyByte(u, i)
	}
}

// newUnit returns a fresh buffer holding u.
func newUnit(u unit) []byte {
	b := make([]byte, u.length)
	fillUnit(b, u)
	return b
}

// bodyByte is the byte at offset i of u: 'A'..'z', a function of every header field.
func bodyByte(u unit, i int) byte {
	x := uint32(i)*2654435761 ^ uint32(u.seq)*40503 ^ uint32(u.writer)*97 ^ uint32(u.length)*31 ^ uint32(u.kind)
	x ^= x >> 13
	return 'A' + byte(x%58)
}

func putHex(b []byte, v int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = "0123456789abcdef"[v&15]
		v >>= 4
	}
}

func getHex(b []byte) (int, bool) {
	v, err := strconv.ParseUint(string(b), 16, 32)
	return int(v), err == nil
}

// parseHeader decodes the header at the start of b (at least headerLen bytes).
func parseHeader(b []byte) (unit, error) {
	if b[0] != '<' || b[16] != '>' {
		return unit{}, fmt.Errorf("no header at %q", printable(b[:headerLen]))
	}
	var u unit
	var ok [4]bool
	u.kind = b[1]
	u.writer, ok[0] = getHex(b[2:4])
	u.seq, ok[1] = getHex(b[4:8])
	u.step, ok[2] = getHex(b[8:10])
	u.length, ok[3] = getHex(b[10:16])
	if !ok[0] || !ok[1] || !ok[2] || !ok[3] || u.length < headerLen || u.length > maxUnit {
		return unit{}, fmt.Errorf("bad header %q", printable(b[:headerLen]))
	}
	return u, nil
}

// checkBody reports the first offset at which b (a whole unit) differs from what its header
// says, or -1.
func checkBody(b []byte, u unit) int {
	for i := headerLen; i < len(b); i++ {
		if b[i] != bodyByte(u, i) {
			return i
		}
	}
	return -1
}

func printable(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 32 || c > 126 {
			c = '.'
		}
		out[i] = c
	}
	return string(out)
}

// unitSize rounds a drawn size to what the codec allows: at least a header, whole frames for
// the fixed-length codec.
func unitSize(n int, ck codecKind) int {
	n = max(n, headerLen)
	if ck == codecFixed {
		n = (n + fixedFrameLen - 1) / fixedFrameLen * fixedFrameLen
	}
	return min(n, maxUnit)
}

// frameMessage returns a client message as the server's codec expects it on the wire.
func frameMessage(msg []byte, ck codecKind) []byte {
	switch ck {
	case codecLine:
		return append(msg, '\n')
	case codecDelimiter:
		return append(msg, delimiterByte)
	case codecLengthField:
		out := make([]byte, lengthFieldW, lengthFieldW+len(msg))
		binary.BigEndian.PutUint32(out, uint32(len(msg)))
		return append(out, msg...)
	}
	return msg
}

// streamParser cuts the server's stream, as a client reads it, into records, undoing the codec's
// framing of encoded ones. Anything that does not parse ends the stream as corrupt.
type streamParser struct {
	ck      codecKind
	buf     []byte
	records []unit
	err     error
}

// feed adds p and parses every whole record in it; it returns false once the stream is corrupt.
func (p *streamParser) feed(b []byte) bool {
	if p.err != nil {
		return false
	}
	p.buf = append(p.buf, b...)
	for p.err == nil {
		n, ok := p.next()
		if !ok {
			break
		}
		p.buf = p.buf[n:]
	}
	if len(p.buf) == 0 {
		p.buf = nil
	}
	return p.err == nil
}

// next parses one record at the start of p.buf: its size and true, or false when more bytes
// are needed (or p.err is set).
func (p *streamParser) next() (int, bool) {
	b := p.buf
	prefix := 0
	if p.ck == codecLengthField && len(b) > 0 && b[0] != '<' {
		if len(b) < lengthFieldW+headerLen {
			return 0, false
		}
		prefix = lengthFieldW
	}
	if len(b) < prefix+headerLen {
		return 0, false
	}
	u, err := parseHeader(b[prefix:])
	if err != nil {
		p.err = err
		return 0, false
	}
	if u.kind != kindEncoded && u.kind != kindRaw {
		p.err = fmt.Errorf("record of kind %q", u.kind)
		return 0, false
	}
	if prefix > 0 {
		if n := int(binary.BigEndian.Uint32(b)); n != u.length || u.kind != kindEncoded {
			p.err = fmt.Errorf("length field %d before a %c record of %d bytes", n, u.kind, u.length)
			return 0, false
		}
	} else if p.ck == codecLengthField && u.kind == kindEncoded {
		p.err = fmt.Errorf("encoded record %d/%d without its length field", u.writer, u.seq)
		return 0, false
	}
	suffix := 0
	if u.kind == kindEncoded && (p.ck == codecLine || p.ck == codecDelimiter) {
		suffix = 1
	}
	total := prefix + u.length + suffix
	if len(b) < total {
		return 0, false
	}
	rec := b[prefix : prefix+u.length]
	if i := checkBody(rec, u); i >= 0 {
		p.err = fmt.Errorf("record %d/%d of %d bytes corrupt at byte %d", u.writer, u.seq, u.length, i)
		return 0, false
	}
	if suffix > 0 {
		want := byte('\n')
		if p.ck == codecDelimiter {
			want = delimiterByte
		}
		if b[total-1] != want {
			p.err = fmt.Errorf("record %d/%d not followed by its delimiter", u.writer, u.seq)
			return 0, false
		}
	}
	p.records = append(p.records, u)
	return total, true
}

// messageParser reassembles client messages from the frames React receives, whatever the
// codec cut them into.
type messageParser struct {
	buf  []byte
	err  error
	seen []unit
}

// feed adds a frame and returns the messages it completed.
func (p *messageParser) feed(frame []byte) []unit {
	if p.err != nil {
		return nil
	}
	p.buf = append(p.buf, frame...)
	var done []unit
	for len(p.buf) >= headerLen {
		u, err := parseHeader(p.buf)
		if err == nil && u.kind != kindMessage {
			err = fmt.Errorf("message of kind %q", u.kind)
		}
		if err != nil {
			p.err = err
			return done
		}
		if len(p.buf) < u.length {
			break
		}
		if i := checkBody(p.buf[:u.length], u); i >= 0 {
			p.err = fmt.Errorf("message %d of %d bytes corrupt at byte %d", u.seq, u.length, i)
			return done
		}
		p.buf = p.buf[u.length:]
		p.seen = append(p.seen, u)
		done = append(done, u)
	}
	if len(p.buf) == 0 {
		p.buf = nil
	}
	return done
}
