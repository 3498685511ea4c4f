//go:build !linux

package server

// listenerPassesNoDelay: elsewhere each accepted socket gets TCP_NODELAY set on its own, since
// not every kernel passes it on from the listening socket.
const listenerPassesNoDelay = false
