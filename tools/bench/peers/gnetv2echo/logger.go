package main

import "log"

// quietLogger replaces gnet v2's default logger, which prints start-up banners on stdout at
// info level; the benchmarks want one line from the server and then silence unless
// something is wrong.
type quietLogger struct{}

func (quietLogger) Debugf(string, ...any) {}

func (quietLogger) Infof(string, ...any) {}

func (quietLogger) Warnf(format string, args ...any) {
	log.Printf("gnetv2echo: warning: "+format, args...)
}

func (quietLogger) Errorf(format string, args ...any) {
	log.Printf("gnetv2echo: error: "+format, args...)
}

func (quietLogger) Fatalf(format string, args ...any) { log.Fatalf("gnetv2echo: "+format, args...) }
