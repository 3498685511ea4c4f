package testutil

import (
	"fmt"
	"strings"
	"sync"
)

// maxLoggedLines bounds what a Logger keeps, so that a server that logs in a loop cannot grow
// a test's memory without limit.
const maxLoggedLines = 1000

// Logger is an api.Logger that keeps the engine's messages in memory instead of printing them,
// so that tests which provoke errors on purpose stay quiet and can still look at what was
// logged. Safe for concurrent use; the zero value is ready.
type Logger struct {
	mu    sync.Mutex
	lines []string
}

// Debugf keeps a debug message.
func (l *Logger) Debugf(format string, args ...any) { l.keep("DEBUG", format, args) }

// Infof keeps an info message.
func (l *Logger) Infof(format string, args ...any) { l.keep("INFO", format, args) }

// Warnf keeps a warning.
func (l *Logger) Warnf(format string, args ...any) { l.keep("WARN", format, args) }

// Errorf keeps an error message.
func (l *Logger) Errorf(format string, args ...any) { l.keep("ERROR", format, args) }

func (l *Logger) keep(level, format string, args []any) {
	line := level + " " + fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) < maxLoggedLines {
		l.lines = append(l.lines, line)
	}
}

// Contains reports whether a kept message (prefixed with its level, as "ERROR msg") contains
// substr. Call it from any goroutine.
func (l *Logger) Contains(substr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.Contains(line, substr) {
			return true
		}
	}
	return false
}

// Lines returns a copy of the kept messages, each prefixed with its level. Call it from any
// goroutine.
func (l *Logger) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}
