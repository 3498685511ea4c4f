//go:build !gnetfaults

package sysfault_test

import (
	"testing"

	"github.com/gnetio/gnet/api/sysfault"
)

func TestWithoutTheTagTheSeamIsOffAndInjectsNothing(t *testing.T) {
	if sysfault.Enabled {
		t.Fatal("Enabled is true without the gnetfaults tag")
	}
	if f := sysfault.Check(sysfault.Call{Op: sysfault.OpWrite, FD: 3, Len: 10}); f != (sysfault.Fault{}) {
		t.Fatalf("Check = %+v, want the zero Fault", f)
	}
}
