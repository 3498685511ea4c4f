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
type ICodec interface {
	// Encode turns one outbound frame into the bytes to send.
	Encode(c Conn, buf []byte) ([]byte, error)
	// Decode cuts the next frame from c's buffered inbound bytes.
	Decode(c Conn) ([]byte, error)
}
