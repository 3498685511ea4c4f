// Package echoload drives echo servers with clients that count what becomes of every request:
// answered intact, closed before the server read it (and so safe to send again elsewhere),
// garbled, or failed otherwise. Every request is "WWW:SSSSSSSSSSS\n", a client and a sequence
// number, so that a reply meant for another request or another client shows. The graceful
// stop and restart tests (testsuite/gracefultest) and the fleet behind HAProxy
// (tools/internal/fleet) count with it; their verdicts are these counts, never durations.
//
// Every wait and every conversation is bounded by testutil.WaitLimit.
package echoload
