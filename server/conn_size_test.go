package server

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// A connection's state fits the 256-byte allocation class: every idle connection pays for the
// whole class, and the next one is 288 bytes. A field added past it moves every connection up;
// reorder the small fields (they pack) or move a rarely used one to connExtra.
func TestAConnectionFitsTheTwoHundredFiftySixByteClass(t *testing.T) {
	require.LessOrEqual(t, unsafe.Sizeof(conn{}), uintptr(256))
}
