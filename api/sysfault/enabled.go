//go:build gnetfaults

package sysfault

import "sync/atomic"

// Enabled reports whether this build has the seam: true only when built with the gnetfaults
// tag.
const Enabled = true

type installed struct{ inj Injector }

var current atomic.Pointer[installed]

// Install makes inj the injector of the whole process (nil: none) and returns the function
// that puts back the one it replaced. Installs nest: uninstall them in the reverse order.
// Only a build with the gnetfaults tag has Install, so that no normal build can inject.
func Install(inj Injector) (uninstall func()) {
	var next *installed
	if inj != nil {
		next = &installed{inj: inj}
	}
	prev := current.Swap(next)
	return func() { current.Store(prev) }
}

// Check returns the fault the installed injector draws for c, or the zero Fault when none is
// installed.
func Check(c Call) Fault {
	if in := current.Load(); in != nil {
		return in.inj.Inject(c)
	}
	return Fault{}
}
