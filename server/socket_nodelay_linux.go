package server

// listenerPassesNoDelay: Linux gives the sockets accept returns the listening socket's
// TCP_NODELAY.
const listenerPassesNoDelay = true
