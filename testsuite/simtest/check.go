package simtest

import (
	"fmt"
	"strings"
	"time"
)

// The model's checks, once a run is over: what React saw against what each client sent, what
// each client received against what the engine accepted, and the connections' callbacks.

func check(res *Result, h *handler, clients []clientResult, log *logger, faulty bool) {
	fail := func(format string, args ...any) {
		if len(res.Violations) < 20 {
			res.Violations = append(res.Violations, fmt.Sprintf(format, args...))
		}
	}
	log.mu.Lock()
	for _, line := range log.lines {
		if strings.Contains(line, "event loop") && strings.Contains(line, "stopped") {
			fail("a loop stopped with an error: %s", line)
		}
	}
	log.mu.Unlock()
	h.mu.Lock()
	fail2 := h.problems
	conns := h.conns
	h.mu.Unlock()
	for _, p := range fail2 {
		fail("%s", p)
	}
	bound := map[int]*serverConn{}
	for _, sc := range conns {
		sc.mu.Lock()
		for _, p := range sc.problems {
			fail("server connection of client %d: %s", sc.client, p)
		}
		if sc.closed == 0 {
			fail("server connection of client %d: no OnClosed within %v of its client being done", sc.client, closeBound)
		}
		if sc.client >= 0 {
			if bound[sc.client] != nil {
				fail("client %d: two server connections", sc.client)
			}
			bound[sc.client] = sc
		}
		sc.mu.Unlock()
	}
	for i := range clients {
		cr := &clients[i]
		res.Counts.Ops += cr.ops
		if cr.dialErr != nil {
			if !faulty {
				fail("client %d: dial or handshake: %v", cr.index, cr.dialErr)
			}
			continue
		}
		if cr.end == "timeout" {
			fail("client %d: the stream did not end within %v", cr.index, streamBound)
		}
		if cr.parseErr != nil {
			fail("client %d: the stream from the server is corrupt: %v", cr.index, cr.parseErr)
		}
		sc := bound[cr.index]
		if sc == nil {
			checkUnbound(cr, h, fail)
			continue
		}
		sc.mu.Lock()
		if sc.closed > 0 && sc.closedAt.Sub(cr.done) > closeBound {
			fail("client %d: OnClosed came %v after the client was done (bound %v)", cr.index, sc.closedAt.Sub(cr.done).Round(time.Millisecond), closeBound)
		}
		checkMessages(cr, sc, res, fail)
		checkRecords(cr, sc, res, fail)
		sc.mu.Unlock()
	}
}

// checkUnbound checks a client whose first message never reached React: it may have received
// the greeting, nothing else.
func checkUnbound(cr *clientResult, h *handler, fail func(string, ...any)) {
	for _, r := range cr.records {
		if !(h.sc.Setup.Greeting && r.writer == loopWriter && r.seq == 0) {
			fail("client %d: received record %d/%d from a connection React never heard it on", cr.index, r.writer, r.seq)
			return
		}
	}
}

// checkMessages: React saw a prefix of what the client sent, in order, each once; all of it
// when OnReadClosed said the client had ended.
func checkMessages(cr *clientResult, sc *serverConn, res *Result, fail func(string, ...any)) {
	seen := sc.parser.seen
	sent := cr.sent
	if cr.maybe != nil {
		sent = append(sent[:len(sent):len(sent)], *cr.maybe)
	}
	for i, m := range seen {
		res.Counts.Messages++
		res.Counts.Bytes += int64(m.length)
		if i >= len(sent) {
			fail("client %d: React saw message %d, which was never sent (%d sent)", cr.index, m.seq, len(sent))
			return
		}
		if w := sent[i]; m != w {
			fail("client %d: React's message %d is %+v, sent %+v", cr.index, i, m, w)
			return
		}
	}
	if sc.readEnded && len(seen) < len(cr.sent) {
		fail("client %d: OnReadClosed after React saw %d of the %d messages sent", cr.index, len(seen), len(cr.sent))
	}
}

// checkRecords: every record that arrived was accepted, whole, once, in its writer's order,
// with none of the writer's accepted records missing before it; every accepted record arrived
// unless OnClosed reported an error or the client went away itself.
func checkRecords(cr *clientResult, sc *serverConn, res *Result, fail func(string, ...any)) {
	next := map[int]int{} // per writer, the next sequence number not yet passed
	for _, r := range cr.records {
		res.Counts.Records++
		res.Counts.Bytes += int64(r.length)
		log := sc.writers[r.writer]
		if r.seq >= len(log) {
			fail("client %d: record %d/%d was never written", cr.index, r.writer, r.seq)
			return
		}
		e := log[r.seq]
		switch {
		case e.length != r.length || e.kind != r.kind:
			fail("client %d: record %d/%d arrived as %c of %d bytes, written as %c of %d", cr.index, r.writer, r.seq, r.kind, r.length, e.kind, e.length)
			return
		case e.status == refused:
			fail("client %d: record %d/%d arrived though its write was refused", cr.index, r.writer, r.seq)
			return
		case r.seq < next[r.writer]:
			fail("client %d: record %d/%d arrived again or out of order (after %d)", cr.index, r.writer, r.seq, next[r.writer]-1)
			return
		}
		for s := next[r.writer]; s < r.seq; s++ {
			if log[s].status == accepted {
				fail("client %d: record %d/%d arrived, but the accepted %d/%d before it did not", cr.index, r.writer, r.seq, r.writer, s)
				return
			}
		}
		next[r.writer] = r.seq + 1
	}
	if cr.parseErr != nil || cr.wentAway || cr.end == "self" || sc.closeErr != nil {
		return
	}
	if cr.end != "eof" {
		fail("client %d: the stream ended with %v (%s) while OnClosed reported no error", cr.index, cr.endErr, cr.end)
		return
	}
	if cr.tail > 0 {
		fail("client %d: the stream ended in the middle of a record (%d bytes) while OnClosed reported no error", cr.index, cr.tail)
	}
	var missing []string
	lost := 0
	for w, log := range sc.writers {
		for s := next[w]; s < len(log); s++ {
			if log[s].status == accepted {
				lost++
				if len(missing) < 5 {
					missing = append(missing, fmt.Sprintf("%d/%d", w, s))
				}
			}
		}
	}
	if lost > 0 {
		fail("client %d: %d accepted records never arrived (%s …), and OnClosed reported no error", cr.index, lost, strings.Join(missing, " "))
	}
}
