package tlstest

import (
	"crypto/tls"
	"net"
)

// TLS record content types and the size of an encrypted TLS 1.3 alert record: a two-byte
// alert, the one-byte inner content type and the 16-byte AEAD tag every TLS 1.3 cipher suite
// uses.
const (
	recordTypeAlert        = 0x15
	recordTypeData         = 0x17
	recordHeaderBytes      = 5
	tls13AlertRecordLength = 2 + 1 + 16
)

// recordHeader is the cleartext header of one TLS record.
type recordHeader struct {
	contentType byte
	length      int
}

// recordTap is a client's socket that notes the header of every TLS record it receives, to
// tell what crypto/tls does not: whether the stream ended with an alert record (a
// close_notify) or was cut at a record boundary, both of which a crypto/tls reader reports as
// io.EOF. Only the goroutine that reads may call its methods.
type recordTap struct {
	net.Conn
	partial   []byte // header bytes of the record being received
	remaining int    // body bytes of the current record not yet received
	records   []recordHeader
}

func (r *recordTap) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	r.observe(p[:n])
	return n, err
}

func (r *recordTap) observe(b []byte) {
	for len(b) > 0 {
		if r.remaining > 0 {
			skip := min(r.remaining, len(b))
			r.remaining -= skip
			b = b[skip:]
			continue
		}
		take := min(recordHeaderBytes-len(r.partial), len(b))
		r.partial = append(r.partial, b[:take]...)
		b = b[take:]
		if len(r.partial) == recordHeaderBytes {
			length := int(r.partial[3])<<8 | int(r.partial[4])
			r.records = append(r.records, recordHeader{contentType: r.partial[0], length: length})
			r.remaining = length
			r.partial = r.partial[:0]
		}
	}
}

// endedWithAlert reports whether the last whole record received is an alert: under TLS 1.2
// by its cleartext type, under TLS 1.3 (where every encrypted record claims to be
// application data) by its size, which a record of application data also has when it holds
// exactly two bytes: tests that use it never have two-byte writes.
func (r *recordTap) endedWithAlert(version uint16) bool {
	if len(r.records) == 0 || r.remaining > 0 || len(r.partial) > 0 {
		return false
	}
	last := r.records[len(r.records)-1]
	if version == tls.VersionTLS13 {
		return last.contentType == recordTypeData && last.length == tls13AlertRecordLength
	}
	return last.contentType == recordTypeAlert
}
