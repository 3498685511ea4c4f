package main

import "errors"

// errNoSession is returned by the codec for a connection that has no session: one OnOpened did
// not set up, which cannot be served.
var errNoSession = errors.New("gnet: redisd: connection has no session")
