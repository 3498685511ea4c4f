// Package haproxy runs a real HAProxy (Debian's haproxy package) for tests, the load balancer
// our users put in front of a fleet: Start writes a haproxy.cfg with one TCP frontend on a
// loopback port and the backend the test gives, starts haproxy in the foreground as a child
// of the test, and stops it when the test ends; Servers reads the backend's servers' state and
// counters from HAProxy's runtime API. Tests that need HAProxy skip, saying so, only when it
// is not installed; tools/test.sh installs it.
//
// Its own tests put a server with the PROXY protocol on behind send-proxy and send-proxy-v2
// and check that the handler sees the client's real address; tools/internal/fleet runs three
// servers behind it.
package haproxy
