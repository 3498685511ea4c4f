package main

import "github.com/gnetio/gnet/tools/internal/httpwire"

// scratchKeepBytes is the largest response scratch buffer a connection keeps between
// requests; a bigger one (after echoing a large body) is dropped, so that idle connections
// do not each pin the largest response they ever sent.
const scratchKeepBytes = 16 << 10

// connState is what httpd keeps per connection. The codec and React both run on the
// connection's event loop, one after the other, so it needs no locking: Decode leaves the
// parsed request (or the reason it was rejected) here and React answers it.
type connState struct {
	// req is the request Decode parsed last; its slices point into the frame React gets
	// and are valid until React returns.
	req httpwire.Request
	// rejected is why Decode rejected the bytes it handed to React, or nil.
	rejected error
	// continueSent records that the request being received was sent "100 Continue".
	continueSent bool
	// out is the scratch buffer responses are assembled in before WriteNoCodec copies them.
	out []byte
}

// releaseLargeScratch drops a scratch buffer grown past scratchKeepBytes.
func (st *connState) releaseLargeScratch() {
	if cap(st.out) > scratchKeepBytes {
		st.out = nil
	}
}
