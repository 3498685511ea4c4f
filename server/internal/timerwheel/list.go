package timerwheel

// Every node that is not free is on exactly one list: the due list, the expired list or one
// slot. A list is circular and doubly linked through the nodes' next and prev indexes; its head
// is kept in Wheel.heads, indexed by the same value the nodes keep in where, so a node can be
// unlinked in O(1) knowing only itself.
const (
	// whereFree marks a node on the free list (or retired); it is on no list in heads.
	whereFree uint16 = iota
	// whereDue holds timers armed when already due; they fire at the next Advance.
	whereDue
	// whereExpired holds timers the running Advance has found due and is firing.
	whereExpired
	// whereSlots is the first slot: slot s of level l is whereSlots + l*slotsPerLevel + s.
	whereSlots
	listCount = int(whereSlots) + levels*slotsPerLevel
)

// link appends node i to the end of the list at where, marking a slot occupied when it was
// empty.
//
// hot path: no allocation
func (w *Wheel) link(i uint32, n *node, where uint16) {
	n.where = where
	head := w.heads[where]
	if head == nilIndex {
		n.next, n.prev = i, i
		w.heads[where] = i
		if where >= whereSlots {
			w.markOccupied(int(where - whereSlots))
		}
		return
	}
	h := w.node(head)
	tail := h.prev
	n.next, n.prev = head, tail
	w.node(tail).next = i
	h.prev = i
}

// unlink removes node i from the list it is on, marking a slot empty when i was its last node.
// n.where is left as it was; the caller links or releases the node next.
//
// hot path: no allocation
func (w *Wheel) unlink(i uint32, n *node) {
	where := n.where
	if n.next == i {
		w.heads[where] = nilIndex
		if where >= whereSlots {
			w.markEmpty(int(where - whereSlots))
		}
		return
	}
	w.node(n.prev).next = n.next
	w.node(n.next).prev = n.prev
	if w.heads[where] == i {
		w.heads[where] = n.next
	}
}

// popFront unlinks and returns the first node of the list at where, or nilIndex when it is
// empty.
//
// hot path: no allocation
func (w *Wheel) popFront(where uint16) (uint32, *node) {
	i := w.heads[where]
	if i == nilIndex {
		return nilIndex, nil
	}
	n := w.node(i)
	w.unlink(i, n)
	return i, n
}

// markOccupied and markEmpty keep the bitmaps in step with the slots: bit s of occupied[l] is
// set while slot s of level l holds a timer, bit l of occupiedLevels while occupied[l] != 0.
func (w *Wheel) markOccupied(slot int) {
	l, s := slot/slotsPerLevel, slot%slotsPerLevel
	w.occupied[l] |= 1 << s
	w.occupiedLevels |= 1 << l
}

func (w *Wheel) markEmpty(slot int) {
	l, s := slot/slotsPerLevel, slot%slotsPerLevel
	w.occupied[l] &^= 1 << s
	if w.occupied[l] == 0 {
		w.occupiedLevels &^= 1 << l
	}
}
