// Package pollertest is the contract test suite of api/netpoll. Its tests run unchanged
// against whichever poller backend the operating system builds (poller-linux on Linux,
// poller-bsd on Darwin and the BSDs) and use the backend only through netpoll.Poller, over
// real socketpairs and TCP loopback connections.
package pollertest
