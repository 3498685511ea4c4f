package peer

import "log"

// QuietLogger is a gnet v2 logger (github.com/panjf2000/gnet/v2/pkg/logging.Logger) that
// drops debug and info lines, where gnet v2 prints its start-up banners, and writes warnings
// and errors through the standard log package prefixed with Name: a benchmark wants one line
// from a server and then silence unless something is wrong. gnet v2 calls it from any of its
// goroutines.
type QuietLogger struct {
	// Name is the command's name, the prefix of every line.
	Name string
}

// Debugf drops the line.
func (QuietLogger) Debugf(string, ...any) {}

// Infof drops the line.
func (QuietLogger) Infof(string, ...any) {}

// Warnf writes the line, marked as a warning.
func (l QuietLogger) Warnf(format string, args ...any) {
	log.Printf(l.Name+": warning: "+format, args...)
}

// Errorf writes the line, marked as an error.
func (l QuietLogger) Errorf(format string, args ...any) {
	log.Printf(l.Name+": error: "+format, args...)
}

// Fatalf writes the line and ends the process with status 1.
func (l QuietLogger) Fatalf(format string, args ...any) {
	log.Fatalf(l.Name+": "+format, args...)
}
