package api

// ICodec cuts an inbound byte stream into frames and turns outbound frames into bytes.
//
// The engine calls Decode on the connection's event loop whenever new bytes arrive, and again
// after every frame it returns, until no whole frame is buffered. Decode reads the buffered
// bytes through c (Read, ReadN, ShiftN, BufferLength) and consumes the ones that make up the
// frame it returns.
//
// Decode's results mean:
//   - a non-nil frame and a nil error: one frame, handed to React;
//   - a nil frame and a nil error, or an error that wraps io.ErrUnexpectedEOF: no whole frame
//     is buffered yet; the engine waits for more bytes;
//   - any other error: the stream is malformed; the engine closes the connection and passes
//     the error to OnClosed.
//
// Encode is called by AsyncWrite and FlushWrite (but not WriteNoCodec) with the handler's
// reply; it returns the bytes to send. An error from Encode is returned to the writer and
// nothing is sent. Encode may be called from any goroutine that writes to the connection, so
// an ICodec shared by a server must be safe for concurrent use.
//
// A codec that hands bytes through unchanged may say so by implementing PassthroughCodec; the
// engine then skips both calls.
type ICodec interface {
	// Encode turns one outbound frame into the bytes to send.
	Encode(c Conn, buf []byte) ([]byte, error)
	// Decode cuts the next frame from c's buffered inbound bytes.
	Decode(c Conn) ([]byte, error)
}

// PassthroughCodec is implemented by a codec that hands bytes through as they are, and
// promises so to the engine. Its Decode must consume and return the first
// min(c.BufferLength(), PassthroughLimit()) buffered bytes, or return nil and a nil error when
// nothing is buffered; its Encode must return buf itself and a nil error.
//
// A server whose codec implements it may rely on that promise instead of calling the codec:
// it hands React the bytes of each read as they sit in its read buffer, cut into frames of at
// most PassthroughLimit bytes, without calling Decode and without copying them, and it queues
// replies without calling Encode. It may also call Decode and Encode as it would for any other
// codec, so both must keep the promise. A codec that only means to bound frames, or that
// transforms bytes in any way, must not implement this interface.
type PassthroughCodec interface {
	ICodec
	// PassthroughLimit returns the most bytes one frame may hold: a positive number, the same
	// on every call. The engine asks once, when the server starts, and refuses a codec that
	// returns less than 1.
	PassthroughLimit() int
}

// AppendEncoder may be implemented by an ICodec that can encode a frame into a buffer the
// caller owns; every built-in codec does. The engine prefers it to Encode when a server's codec
// has it: it encodes each outbound frame into a per-loop buffer it reuses, so writing a frame
// allocates nothing, where Encode must return a fresh slice whenever it adds bytes.
//
// AppendEncode appends the encoded form of buf to dst and returns the extended slice, growing
// it as append does. On error it returns dst unchanged and writes nothing. It does not retain
// dst or buf. An implementation must be safe to call from any goroutine at once with distinct
// dst buffers; c is the connection being written to and may be nil for codecs that do not
// use it.
type AppendEncoder interface {
	AppendEncode(dst []byte, c Conn, buf []byte) ([]byte, error)
}
