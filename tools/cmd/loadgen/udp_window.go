package main

import "time"

// udpHistoryLen is how many of a socket's latest sequence numbers the window remembers the
// fate of (a byte each), so that a reply to one of them is told apart as a duplicate or as
// a late answer to a datagram already counted lost. A reply to an older one is counted late:
// at a few hundred thousand datagrams a second per socket that is a reply older than tens
// of milliseconds beyond its loss timeout, which only a late answer plausibly is.
const udpHistoryLen = 1 << 14

// seqState is the fate of one sequence number. The zero value is never stored: every number
// the history covers has been issued.
type seqState uint8

const (
	seqOutstanding seqState = iota + 1
	seqAnswered
	seqLost
	// seqLate: counted lost, then answered after all.
	seqLate
)

// verdict says what a reply that passed udpTemplate.check turned out to answer.
type verdict int

const (
	// verdictAnswered: the datagram still awaited in the reply's slot; the slot is free
	// again.
	verdictAnswered verdict = iota
	// verdictLate: a datagram already counted lost (or sent too long ago to tell); it stays
	// lost.
	verdictLate
	// verdictDuplicate: a datagram that had been answered already. A fault of the server.
	verdictDuplicate
	// verdictNeverSent: a sequence number this socket has not issued yet. A fault.
	verdictNeverSent
	// verdictWrongSlot: a datagram still awaited, but in another slot than the reply names.
	// A fault.
	verdictWrongSlot
)

// udpSlot is one place of the window: the datagram last sent from it.
type udpSlot struct {
	seq         uint64
	sentAt      time.Duration
	outstanding bool
}

// udpWindow keeps the datagrams of one socket in flight: which sequence number each slot
// awaits and since when, which slots are free to send from, and the fate of the latest
// udpHistoryLen sequence numbers. Times are durations since any fixed instant of the
// caller's choosing. It is owned by one goroutine.
type udpWindow struct {
	slots   []udpSlot
	free    []uint32
	history []seqState
	next    uint64
}

// newUDPWindow returns a window of size slots, all of them free.
func newUDPWindow(size int) *udpWindow {
	w := &udpWindow{
		slots:   make([]udpSlot, size),
		free:    make([]uint32, 0, size),
		history: make([]seqState, udpHistoryLen),
	}
	for slot := size - 1; slot >= 0; slot-- {
		w.free = append(w.free, uint32(slot))
	}
	return w
}

// popFree takes a free slot, if there is one.
func (w *udpWindow) popFree() (uint32, bool) {
	n := len(w.free)
	if n == 0 {
		return 0, false
	}
	slot := w.free[n-1]
	w.free = w.free[:n-1]
	return slot, true
}

// issue gives slot, taken with popFree, the next sequence number, sent at now, and returns
// that number.
//
// hot path: no allocation
func (w *udpWindow) issue(slot uint32, now time.Duration) uint64 {
	seq := w.next
	w.next++
	w.slots[slot] = udpSlot{seq: seq, sentAt: now, outstanding: true}
	w.history[seq%udpHistoryLen] = seqOutstanding
	return seq
}

// settle records a reply to seq from slot arriving at now. For verdictAnswered it frees the
// slot and returns the round trip; the other verdicts change no slot.
//
// hot path: no allocation
func (w *udpWindow) settle(slot uint32, seq uint64, now time.Duration) (verdict, time.Duration) {
	if seq >= w.next {
		return verdictNeverSent, 0
	}
	if int64(slot) < int64(len(w.slots)) {
		s := &w.slots[slot]
		if s.outstanding && s.seq == seq {
			s.outstanding = false
			w.free = append(w.free, slot)
			w.remember(seq, seqAnswered)
			return verdictAnswered, now - s.sentAt
		}
	}
	if !w.remembers(seq) {
		return verdictLate, 0
	}
	switch w.history[seq%udpHistoryLen] {
	case seqLost:
		w.history[seq%udpHistoryLen] = seqLate
		return verdictLate, 0
	case seqOutstanding:
		return verdictWrongSlot, 0
	default:
		return verdictDuplicate, 0
	}
}

// expire counts every datagram awaited for timeout or longer at now as lost, frees its slot,
// and returns how many there were.
func (w *udpWindow) expire(now, timeout time.Duration) int {
	lost := 0
	for i := range w.slots {
		s := &w.slots[i]
		if s.outstanding && now-s.sentAt >= timeout {
			s.outstanding = false
			w.free = append(w.free, uint32(i))
			w.remember(s.seq, seqLost)
			lost++
		}
	}
	return lost
}

// remembers reports whether the history still holds the fate of seq, an issued number.
func (w *udpWindow) remembers(seq uint64) bool {
	return w.next-seq <= udpHistoryLen
}

// remember records the fate of seq, unless a newer number has taken its place.
func (w *udpWindow) remember(seq uint64, state seqState) {
	if w.remembers(seq) {
		w.history[seq%udpHistoryLen] = state
	}
}
