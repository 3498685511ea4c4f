package kvstore

// list is a double-ended queue of a list key's elements: a ring over an array whose length
// is a power of two, so that pushing and popping at either end is O(1).
type list struct {
	elems [][]byte
	head  int
	size  int
}

func (l *list) len() int { return l.size }

// at returns the i-th element from the front; 0 <= i < len().
func (l *list) at(i int) []byte {
	return l.elems[(l.head+i)&(len(l.elems)-1)]
}

func (l *list) pushBack(v []byte) {
	l.makeRoom()
	l.elems[(l.head+l.size)&(len(l.elems)-1)] = v
	l.size++
}

func (l *list) pushFront(v []byte) {
	l.makeRoom()
	l.head = (l.head - 1) & (len(l.elems) - 1)
	l.elems[l.head] = v
	l.size++
}

// popFront removes and returns the first element; the list must not be empty.
func (l *list) popFront() []byte {
	v := l.elems[l.head]
	l.elems[l.head] = nil // the array must not keep the popped element alive
	l.head = (l.head + 1) & (len(l.elems) - 1)
	l.size--
	return v
}

// popBack removes and returns the last element; the list must not be empty.
func (l *list) popBack() []byte {
	i := (l.head + l.size - 1) & (len(l.elems) - 1)
	v := l.elems[i]
	l.elems[i] = nil // the array must not keep the popped element alive
	l.size--
	return v
}

// makeRoom doubles the array when it is full, unwrapping the elements to its start.
func (l *list) makeRoom() {
	if l.size < len(l.elems) {
		return
	}
	grown := make([][]byte, max(4, 2*len(l.elems)))
	for i := range l.size {
		grown[i] = l.at(i)
	}
	l.elems = grown
	l.head = 0
}
