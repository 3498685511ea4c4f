package main

import "github.com/gnetio/gnet/tools/internal/httpwire"

// scratchKeepBytes is the largest response scratch buffer a connection keeps between
// batches; a bigger one (after echoing a large body) is dropped, so that idle connections
// do not each pin the largest response they ever sent.
const scratchKeepBytes = 16 << 10

// responseFlushBytes is how many response bytes React gathers before it hands them to the
// engine in the middle of a batch; half of scratchKeepBytes, so that a batch of ordinary
// responses never grows the scratch buffer past what is kept.
const responseFlushBytes = scratchKeepBytes / 2

// maxBatchRequests bounds the requests one frame carries, and with them the parsed requests
// a connection keeps: a client that pipelines more has them answered over several frames of
// the same read.
const maxBatchRequests = 32

// connState is what httpd keeps per connection. The codec and React both run on the
// connection's event loop, one after the other, so it needs no locking: Decode leaves the
// parsed requests (or the reason it rejected the bytes) here and React answers them.
type connState struct {
	// batch holds the requests of the frame Decode returned last, in order; their slices
	// point into that frame and are valid until React returns. Each keeps the capacity of
	// its Headers from one frame to the next.
	batch []httpwire.Request
	// rejected is why Decode rejected the bytes it handed to React, or nil.
	rejected error
	// continueSent records that the request being received was sent "100 Continue".
	continueSent bool
	// out is the scratch buffer responses are assembled in before WriteNoCodec copies them.
	out []byte
}

// nextRequest extends the batch by one request, reusing the memory of an earlier one, and
// returns it for parsing into.
func (st *connState) nextRequest() *httpwire.Request {
	// hot path: no allocation once the batch has grown to the client's pipeline depth
	if len(st.batch) < cap(st.batch) {
		st.batch = st.batch[:len(st.batch)+1]
	} else {
		st.batch = append(st.batch, httpwire.Request{})
	}
	return &st.batch[len(st.batch)-1]
}

// dropLastRequest takes back the request nextRequest added last, which did not parse whole.
func (st *connState) dropLastRequest() {
	st.batch = st.batch[:len(st.batch)-1]
}

// releaseLargeScratch drops a scratch buffer grown past scratchKeepBytes.
func (st *connState) releaseLargeScratch() {
	if cap(st.out) > scratchKeepBytes {
		st.out = nil
	}
}
