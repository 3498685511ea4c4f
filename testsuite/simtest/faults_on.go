//go:build gnetfaults

package simtest

import (
	"sync"
	"sync/atomic"

	"github.com/gnetio/gnet/api/sysfault"
)

// FaultsEnabled reports whether this build injects the scenarios' faults.
const FaultsEnabled = true

var callOps = map[string]sysfault.Op{
	"accept": sysfault.OpAccept, "read": sysfault.OpRead, "write": sysfault.OpWrite,
	"shutdown": sysfault.OpShutdown, "close": sysfault.OpClose, "setsockopt": sysfault.OpSetsockopt,
	"poll": sysfault.OpPoll, "control": sysfault.OpControl, "wait": sysfault.OpWait,
}

// injection draws a scenario's faults. Whether a call fails is a hash of the seed, the rule's
// number, the call's descriptor and how many calls of its kind that descriptor made before:
// a replay meets the same faults on the same calls of each connection, as far as the
// connections get the same descriptors and make the same calls (the scheduler decides some),
// and a shrunk scenario's remaining rules fire where they did before the others were dropped.
type injection struct {
	seed      uint64
	mu        sync.Mutex
	rules     [sysfault.NumOps][]FaultRule
	hits      [sysfault.NumOps][]int
	made      map[callKey]uint64 // calls so far, per kind and descriptor
	calls     atomic.Int64
	undo      func()
	installed bool
}

type callKey struct {
	op sysfault.Op
	fd int
}

// installFaults installs an injector of rules, or nothing when there are none.
func installFaults(rules []FaultRule, seed uint64) *injection {
	in := &injection{seed: seed, made: map[callKey]uint64{}}
	for _, r := range rules {
		op := callOps[r.Call]
		in.rules[op] = append(in.rules[op], r)
		in.hits[op] = append(in.hits[op], 0)
	}
	if len(rules) > 0 {
		in.undo = sysfault.Install(in)
		in.installed = true
	}
	return in
}

// mix is SplitMix64's finaliser: a well-spread hash of x.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// Inject implements sysfault.Injector; the loops call it concurrently.
func (in *injection) Inject(c sysfault.Call) sysfault.Fault {
	in.calls.Add(1)
	if c.Op >= sysfault.NumOps || len(in.rules[c.Op]) == 0 {
		return sysfault.Fault{}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	k := callKey{c.Op, c.FD}
	n := in.made[k]
	in.made[k] = n + 1
	for i, r := range in.rules[c.Op] {
		h := mix(in.seed ^ mix(uint64(r.Index)<<48^uint64(uint32(c.FD))<<16^n))
		if float64(h>>11)/(1<<53) >= r.Rate {
			continue
		}
		if r.Short {
			if c.Len < 2 {
				continue
			}
			in.hits[c.Op][i]++
			return sysfault.Fault{Short: 1 + int(mix(h)%uint64(c.Len-1))}
		}
		in.hits[c.Op][i]++
		return sysfault.Fault{Errno: r.Errno}
	}
	return sysfault.Fault{}
}

func (in *injection) uninstall() {
	if in.installed {
		in.undo()
		in.installed = false
	}
}

func (in *injection) enabled() bool { return true }

// counts returns the calls that asked and the faults injected, by kind.
func (in *injection) counts() Counts {
	c := Counts{FaultCalls: in.calls.Load(), Faults: map[string]int{}}
	in.mu.Lock()
	defer in.mu.Unlock()
	for op := range in.rules {
		for i, r := range in.rules[op] {
			if n := in.hits[op][i]; n > 0 {
				c.Faults[r.Kind()] += n
				c.FaultsTotal += n
			}
		}
	}
	return c
}
