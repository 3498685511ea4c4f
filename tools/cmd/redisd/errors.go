package main

import "errors"

// errNoSession is returned by the codec for a connection that has no session: one OnOpened did
// not set up, which cannot be served.
var errNoSession = errors.New("gnet: redisd: connection has no session")

// errReplyTooLarge ends a connection whose next reply does not fit in what the outbound limit
// leaves, even once the socket has taken what it can.
var errReplyTooLarge = errors.New("gnet: redisd: reply does not fit the outbound limit")
