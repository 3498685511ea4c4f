// Package codec holds gnet's built-in frame codecs: implementations of api.ICodec that cut a
// connection's inbound byte stream into the frames handed to React, and turn replies into
// bytes.
//
//   - BuiltInFrameCodec passes bytes through: each Decode returns whatever is buffered, at
//     most its maximum frame length. It is the engine's default. It implements
//     api.PassthroughCodec, so the engine cuts each read into frames itself, without calling
//     it and without a copy.
//   - LineBasedFrameCodec cuts lines ending in "\n" or "\r\n".
//   - DelimiterBasedFrameCodec cuts frames ending in a delimiter byte of your choice.
//   - FixedLengthFrameCodec cuts frames of one fixed length.
//   - LengthFieldBasedFrameCodec reads each frame's length from a field in its header, in the
//     manner of Netty's LengthFieldBasedFrameDecoder.
//
// A server picks one with the engine's WithCodec option, for example:
//
//	codec.NewLineBasedFrameCodec(codec.WithMaxFrameLength(64 << 10))
//	codec.NewDelimiterBasedFrameCodec(';')
//	codec.NewFixedLengthFrameCodec(512) // also returns an error for lengths < 1
//	codec.NewLengthFieldBasedFrameCodec(
//		codec.EncoderConfig{LengthFieldLength: 4},
//		codec.DecoderConfig{LengthFieldLength: 4, InitialBytesToStrip: 4, MaxFrameLength: 1 << 20},
//	)
//
// # Decoding
//
// The engine calls Decode on the connection's event loop, after each read and after each
// frame, until Decode reports that no whole frame is buffered (ErrUnexpectedEOF, which wraps
// io.ErrUnexpectedEOF). Any other error means the stream is broken: the engine closes the
// connection and passes the error to OnClosed.
//
// Decode copies nothing: a frame is a sub-slice of c.Read(), consumed with c.ShiftN, and
// stays valid until the callback that receives it returns. Its capacity ends where it does,
// so appending to a frame copies it instead of overwriting the bytes that follow.
//
// Every codec has a maximum frame length (DefaultMaxFrameLength, 4 MiB, unless
// WithMaxFrameLength or DecoderConfig.MaxFrameLength says otherwise; the unit is bytes). A
// decoder fails with ErrFrameTooLarge as soon as it knows that the next frame will be longer,
// so a peer cannot make the engine buffer without bound, and no buffer is ever sized from a
// length the peer sent.
//
// # Encoding
//
// Encode may be called from any goroutine that writes to the connection; every codec here is
// immutable and safe for concurrent use. Encode returns a new slice whenever it adds bytes.
// Every codec also implements AppendEncoder, which appends to a buffer the caller owns: the
// engine prefers it, encoding into a per-loop buffer without allocating.
package codec
