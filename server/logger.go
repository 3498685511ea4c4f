package server

import (
	"go.uber.org/zap"

	"github.com/gnetio/gnet/api"
)

// zapLogger adapts a zap logger to api.Logger.
type zapLogger struct{ s *zap.SugaredLogger }

// newDefaultLogger returns the logger used when none is given: zap's production logger, JSON
// lines at info level and above on standard error.
func newDefaultLogger() api.Logger {
	l, err := zap.NewProduction()
	if err != nil {
		// zap's fixed production configuration only fails if standard error cannot be
		// opened; a server without logs is better than no server.
		l = zap.NewNop()
	}
	return NewZapLogger(l)
}

// NewZapLogger wraps a zap logger so that it can be passed to WithLogger.
func NewZapLogger(l *zap.Logger) api.Logger { return zapLogger{s: l.Sugar()} }

func (z zapLogger) Debugf(format string, args ...any) { z.s.Debugf(format, args...) }
func (z zapLogger) Infof(format string, args ...any)  { z.s.Infof(format, args...) }
func (z zapLogger) Warnf(format string, args ...any)  { z.s.Warnf(format, args...) }
func (z zapLogger) Errorf(format string, args ...any) { z.s.Errorf(format, args...) }
