package buffer

import "errors"

var (
	// ErrTooLarge is returned by Ring.Write and Ring.ReadFrom when holding the new bytes
	// would take the ring's capacity past MaxRingSize. Nothing is written in that case.
	ErrTooLarge = errors.New("gnet: ring buffer would grow past MaxRingSize")

	// ErrInvalidCount is returned by Ring.ReadFrom and Ring.WriteTo when the io.Reader or
	// io.Writer they call reports a byte count that is negative or larger than the slice it
	// was given, which those interfaces forbid.
	ErrInvalidCount = errors.New("gnet: reader or writer returned an invalid byte count")
)
