package codec

// DefaultMaxFrameLength is the maximum frame length, in bytes, of a codec built without
// WithMaxFrameLength (or, for LengthFieldBasedFrameCodec, with DecoderConfig.MaxFrameLength
// left at 0): 4 MiB.
const DefaultMaxFrameLength = 4 << 20

// Option changes how a codec constructor builds its codec. Options are applied in order, so
// a later one wins.
type Option func(*settings)

// settings is what the options set; its zero value means "all defaults".
type settings struct {
	maxFrameLength int
}

// WithMaxFrameLength sets the codec's maximum frame length to n bytes; n <= 0 keeps
// DefaultMaxFrameLength. A decoder returns an error wrapping ErrFrameTooLarge as soon as the
// next frame is bound to be longer, so the engine closes the connection instead of buffering
// without limit. What the bytes count is stated by each codec's doc comment.
func WithMaxFrameLength(n int) Option {
	return func(s *settings) { s.maxFrameLength = n }
}

func applyOptions(opts []Option) settings {
	var s settings
	for _, opt := range opts {
		opt(&s)
	}
	return s
}

// effectiveMaxFrameLength turns the "unset" values a zero-value codec or an option may hold
// into the default, so that every codec's zero value is usable.
func effectiveMaxFrameLength(n int) int {
	if n <= 0 {
		return DefaultMaxFrameLength
	}
	return n
}
