package release

import (
	"fmt"
	"slices"
	"strings"
)

// Order returns the modules in dependency order: each after every sibling it requires, and
// modules that do not depend on each other in the order of their folders. A cycle of
// requirements is ErrCycle, naming the modules on it.
func (w *Workspace) Order() ([]*Module, error) {
	// Kahn's algorithm, taking the first ready module by folder at each step so that the
	// order is the same on every run.
	pending := make(map[*Module]int, len(w.Modules)) // requirements not yet ordered
	dependents := make(map[string][]*Module)         // module path -> modules requiring it
	for _, m := range w.Modules {
		pending[m] = len(m.Requires)
		for _, r := range m.Requires {
			dependents[r] = append(dependents[r], m)
		}
	}
	var ready, order []*Module
	for _, m := range w.Modules {
		if pending[m] == 0 {
			ready = append(ready, m)
		}
	}
	for len(ready) > 0 {
		slices.SortFunc(ready, func(a, b *Module) int { return strings.Compare(a.Dir, b.Dir) })
		m := ready[0]
		ready = ready[1:]
		order = append(order, m)
		for _, d := range dependents[m.Path] {
			pending[d]--
			if pending[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	if len(order) < len(w.Modules) {
		return nil, fmt.Errorf("%w: %s", ErrCycle, w.cycle(pending))
	}
	return order, nil
}

// cycle describes one cycle among the modules Order could not place ("a → b → a"). Each of
// them requires at least one other of them, so following such requirements from any of
// them must come back to a module already on the path.
func (w *Workspace) cycle(pending map[*Module]int) string {
	var start *Module
	for _, m := range w.Modules {
		if pending[m] > 0 && (start == nil || m.Dir < start.Dir) {
			start = m
		}
	}
	var path []*Module
	seen := make(map[*Module]int)
	for m := start; ; {
		if at, ok := seen[m]; ok {
			path = append(path[at:], m)
			break
		}
		seen[m] = len(path)
		path = append(path, m)
		for _, r := range m.Requires { // sorted, so the same cycle is named every run
			if next := w.Module(r); pending[next] > 0 {
				m = next
				break
			}
		}
	}
	names := make([]string, len(path))
	for i, m := range path {
		names[i] = m.Dir
	}
	return strings.Join(names, " → ")
}
