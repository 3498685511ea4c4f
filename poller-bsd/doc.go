// Package poller is the kqueue backend of the netpoll contract
// (github.com/gnetio/gnet/api/netpoll), for Darwin, DragonFly BSD, FreeBSD, NetBSD and
// OpenBSD: readiness comes from kqueue, and other goroutines wake the event loop with an
// EVFILT_USER event (Darwin, DragonFly, FreeBSD) or, where golang.org/x/sys/unix does not
// define EVFILT_USER (NetBSD, OpenBSD), with a non-blocking pipe.
//
// Open returns a *Poller that satisfies netpoll.Poller. The engine drives it from one
// goroutine, its event loop; Trigger, Close and Stats may be called from any goroutine.
//
// On other systems the package is empty; the engine imports poller-linux on Linux.
package poller
