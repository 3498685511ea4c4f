// Package e2e is the end-to-end suite of the server engine: real servers on kernel-chosen
// loopback ports and unix sockets, driven by standard-library clients, over every network
// scheme, with and without codecs, one and several event loops. Each test's name states the
// behaviour it proves. The shared helpers are in testsuite/internal/testutil.
package e2e
