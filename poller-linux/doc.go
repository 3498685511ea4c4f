// Package poller is the Linux backend of the netpoll contract
// (github.com/gnetio/gnet/api/netpoll): readiness comes from epoll, and other goroutines wake
// the event loop through an eventfd.
//
// Open returns a *Poller that satisfies netpoll.Poller. The engine drives it from one
// goroutine, its event loop; Trigger, Close and Stats may be called from any goroutine.
//
// On systems other than Linux the package is empty; the engine imports poller-bsd there.
package poller
