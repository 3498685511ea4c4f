package main

import "errors"

// errNoConnState is passed to OnClosed for a connection that reached the codec without the
// state OnOpened gives every connection; it would mean the engine skipped OnOpened.
var errNoConnState = errors.New("gnet: httpd: connection has no HTTP state")
