package sysfault_test

import (
	"testing"

	"github.com/gnetio/gnet/api/sysfault"
)

// sink keeps the benchmarks' results alive.
var sink int

// BenchmarkSeam measures what asking the seam costs a system call: "nothing" is the loop
// alone; "check" asks as the engine does, under `if sysfault.Enabled`, which a build without
// the gnetfaults tag folds away and a build with it pays as one atomic load when no injector
// is installed. BenchmarkSeamDrawingAFault (gnetfaults builds) adds an injector that draws.
func BenchmarkSeam(b *testing.B) {
	b.Run("nothing", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			sink += i & 7
		}
	})
	b.Run("check", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			n := i & 7
			if sysfault.Enabled {
				n = sysfault.Check(sysfault.Call{Op: sysfault.OpRead, FD: 3, Len: 8}).Limit(n)
			}
			sink += n
		}
	})
}
