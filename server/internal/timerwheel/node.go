package timerwheel

// node is one timer: 56 bytes on 64-bit platforms, 44 on 32-bit ones. Nodes are named by
// uint32 indexes rather than pointers, which keeps them small and lets a Handle carry an index.
type node struct {
	fn       func(arg any)
	arg      any
	deadline int64  // monotonic nanoseconds; a repeat adds period to it
	period   int64  // nanoseconds between runs of a fixed-rate timer, 0 for a one-shot timer
	next     uint32 // following node in the list at where; the free list is linked through it
	prev     uint32 // preceding node in the list at where
	gen      uint32 // bumped at every release, so that a Handle names one use of the node
	where    uint16 // the list holding the node: whereFree, whereDue, whereExpired or a slot
}

// Nodes live in fixed pages rather than one growing slice: growing then never copies the
// pending timers (at a million timers a copy would hold the loop for milliseconds and need
// twice the memory for a moment), and a *node stays valid while callbacks schedule more.
const (
	pageShift = 10
	pageSize  = 1 << pageShift
	pageMask  = pageSize - 1
)

// nilIndex ends a list and marks an empty one. Node 0 is never handed out, so the zero Handle
// names no timer.
const nilIndex uint32 = 0

// node returns the node at index i, which must have been allocated.
//
// hot path: no allocation
func (w *Wheel) node(i uint32) *node {
	return &w.pages[i>>pageShift][i&pageMask]
}

// alloc takes a node from the free list, adding a page when the list is empty. The node's
// where is whereFree until it is linked.
//
// hot path: no allocation once the pool holds as many nodes as timers are ever pending.
func (w *Wheel) alloc() (uint32, *node) {
	if w.free == nilIndex {
		w.grow()
	}
	i := w.free
	n := w.node(i)
	w.free = n.next
	return i, n
}

// grow adds a page of free nodes. They are pushed in reverse so that the free list hands out
// increasing indexes, which keeps a filling wheel's nodes in memory order.
func (w *Wheel) grow() {
	page := new([pageSize]node)
	first := uint32(len(w.pages)) << pageShift
	w.pages = append(w.pages, page)
	for k := pageSize - 1; k >= 0; k-- {
		i := first + uint32(k)
		if i == nilIndex {
			continue
		}
		page[k].next = w.free
		w.free = i
	}
}

// release ends a node's current use: it drops the callback and argument (so the collector can
// free what they hold), changes the generation and returns the node to the free list. The node
// must already be unlinked from its list.
//
// hot path: no allocation
func (w *Wheel) release(i uint32, n *node) {
	n.fn, n.arg = nil, nil
	n.where = whereFree
	n.gen++
	w.pending--
	if n.gen == 0 {
		// Every generation has been handed out once; a new use would share generation 0 with
		// the first, and that use's Handle could cancel it. The node is retired instead.
		w.retired++
		return
	}
	n.next = w.free
	w.free = i
}
