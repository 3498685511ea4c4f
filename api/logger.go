package api

// Logger is what the engine logs through. The server's default is backed by go.uber.org/zap;
// pass your own with the server's logger option. Implementations must be safe for concurrent
// use, since every event loop logs.
type Logger interface {
	// Debugf logs a message that only matters when diagnosing the engine.
	Debugf(format string, args ...any)
	// Infof logs a notable event in normal operation (server started, restart begun).
	Infof(format string, args ...any)
	// Warnf logs a fault the engine recovered from (a handler panic, accept backing off).
	Warnf(format string, args ...any)
	// Errorf logs a fault that lost something or stopped a part of the engine.
	Errorf(format string, args ...any)
}
