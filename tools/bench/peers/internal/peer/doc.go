// Package peer holds what the benchmarks' peer servers share: the scheme://address form of
// -addr, an accept loop that rides out running out of file descriptors, a copy-back echo
// loop, and a logger that keeps gnet v2 quiet. It is for the peer commands in
// tools/bench/peers only.
package peer
