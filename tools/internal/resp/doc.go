// Package resp reads Redis requests and writes Redis replies in RESP2, the protocol that
// redis-cli, redis-benchmark and every Redis client library speak.
//
// A Parser cuts a connection's inbound bytes into commands. It accepts the two request forms
// Redis accepts: arrays of bulk strings ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"), which clients
// send, and inline commands ("GET k\r\n"), which people type into telnet. It parses as many
// whole commands as the bytes hold in one call, so that a pipeline of requests costs one call,
// and it resumes a command that is still arriving where it stopped, so that a request that
// trickles in is scanned once. Malformed input is reported with the words Redis uses
// (ProtocolError), and lengths announced by the peer are checked against Limits before they
// are trusted: the parser never allocates from a length it was sent, only for bytes it has
// seen.
//
// The Append functions write replies (simple strings, errors, integers, bulk strings,
// arrays) onto a byte slice the caller owns, so that a server builds a pipeline's replies in
// one buffer and hands it to the network in one write.
//
// Nothing here allocates per request in the steady state; the benchmarks prove it.
package resp
