package main

import "log"

// quietLogger replaces gnet v2's default logger, which prints start-up banners at info
// level; the benchmark wants one line from the server and then silence unless something is
// wrong.
type quietLogger struct{}

func (quietLogger) Debugf(string, ...any) {}

func (quietLogger) Infof(string, ...any) {}

func (quietLogger) Warnf(format string, args ...any) {
	log.Printf("gnetv2http: warning: "+format, args...)
}

func (quietLogger) Errorf(format string, args ...any) {
	log.Printf("gnetv2http: error: "+format, args...)
}

func (quietLogger) Fatalf(format string, args ...any) { log.Fatalf("gnetv2http: "+format, args...) }
