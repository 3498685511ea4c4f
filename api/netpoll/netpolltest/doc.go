// Package netpolltest holds the benchmark bodies that every netpoll backend runs against
// itself, so that the figures of epoll and kqueue come from the same code. A backend's
// bench_test.go calls each one from a Benchmark function with its own Open:
//
//	func BenchmarkTriggerAndDrain(b *testing.B) { netpolltest.TriggerAndDrain(b, Open) }
//
// The contract tests themselves live in the testsuite module (testsuite/pollertest).
package netpolltest
