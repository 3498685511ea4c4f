//go:build gnetfaults

package sysfault_test

import (
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/gnetio/gnet/api/sysfault"
)

// drawingInjector fails one call in a hundred with EINTR and cuts another short, drawing from a
// splitmix64 sequence over an atomic counter: safe from every goroutine, as injectors must be.
type drawingInjector struct{ n atomic.Uint64 }

func (d *drawingInjector) Inject(c sysfault.Call) sysfault.Fault {
	z := d.n.Add(0x9e3779b97f4a7c15)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	switch z % 100 {
	case 0:
		return sysfault.Fault{Errno: syscall.EINTR}
	case 1:
		return sysfault.Fault{Short: 1 + int(z>>32)%max(c.Len, 1)}
	}
	return sysfault.Fault{}
}

func BenchmarkSeamDrawingAFault(b *testing.B) {
	undo := sysfault.Install(sysfault.NewCounter(&drawingInjector{}))
	defer undo()
	for i := 0; b.Loop(); i++ {
		n := i & 7
		if sysfault.Enabled {
			n = sysfault.Check(sysfault.Call{Op: sysfault.OpRead, FD: 3, Len: 8}).Limit(n)
		}
		sink += n
	}
}
