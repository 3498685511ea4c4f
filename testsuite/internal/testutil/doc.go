// Package testutil holds the helpers that end-to-end suites share: starting a server on a
// kernel-chosen address and stopping it when the test ends (StartServer, ServeInBackground), a
// handler mix-in that records the server and every connection's life (Recorder), a hand-over of
// the server's connections to the test (Conns), bounded loopback clients (Dial, RoundTrip,
// ExpectRead), deterministic payloads, PROXY protocol headers as a load balancer writes them
// (ProxyHeader), an in-memory logger, and a checker that no goroutine or file descriptor
// outlives a server (Snapshot, RequireNoLeaks).
//
// Everything here bounds its waits by WaitLimit: a test that reaches it has found a hang, not
// a slow machine.
package testutil
