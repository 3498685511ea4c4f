package codec

import "github.com/gnetio/gnet/api"

// AppendEncoder is implemented by codecs that can encode a frame into a buffer the caller
// owns. Every codec in this package implements it. The engine prefers it to api.ICodec's
// Encode when a server's codec has it: it encodes each outbound frame into a per-loop buffer
// it reuses, so writing a frame allocates nothing, where Encode must return a fresh slice
// whenever it adds bytes.
//
// AppendEncode appends the encoded form of buf to dst and returns the extended slice, growing
// it as append does. On error it returns dst unchanged and writes nothing. It does not retain
// dst or buf. An implementation must be safe to call from any goroutine at once with
// distinct dst buffers; c is the connection being written to and may be nil for codecs that
// do not use it (none in this package does).
type AppendEncoder interface {
	AppendEncode(dst []byte, c api.Conn, buf []byte) ([]byte, error)
}
