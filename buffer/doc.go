// Package buffer holds the byte containers the engine is built on: an elastic ring buffer for
// inbound bytes, an outbound buffer that hands its pending chunks to writev, a lock-free
// multi-producer single-consumer queue, and size-classed byte pools. It depends on the
// standard library only.
package buffer
