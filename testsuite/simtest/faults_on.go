//go:build gnetfaults

package simtest

import (
	"math/rand/v2"
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

// injection draws a scenario's faults: each kind of call has its own generator, seeded from the
// scenario's seed, so a replay meets the same faults in the same order per kind of call (which
// connection meets them is the scheduler's choice).
type injection struct {
	ops       [sysfault.NumOps]opRules
	calls     atomic.Int64
	undo      func()
	installed bool
}

type opRules struct {
	mu    sync.Mutex
	rng   *rand.Rand
	rules []FaultRule
	hits  []int
}

// installFaults installs an injector of rules, or nothing when there are none.
func installFaults(rules []FaultRule, seed uint64) *injection {
	in := new(injection)
	for _, r := range rules {
		o := &in.ops[callOps[r.Call]]
		o.rules = append(o.rules, r)
		o.hits = append(o.hits, 0)
	}
	for op := range in.ops {
		in.ops[op].rng = rand.New(rand.NewPCG(seed, uint64(op)+1))
	}
	if len(rules) > 0 {
		in.undo = sysfault.Install(in)
		in.installed = true
	}
	return in
}

// Inject implements sysfault.Injector; the loops call it concurrently.
func (in *injection) Inject(c sysfault.Call) sysfault.Fault {
	in.calls.Add(1)
	if c.Op >= sysfault.NumOps {
		return sysfault.Fault{}
	}
	o := &in.ops[c.Op]
	if len(o.rules) == 0 {
		return sysfault.Fault{}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for i, r := range o.rules {
		if o.rng.Float64() >= r.Rate {
			continue
		}
		if r.Short {
			if c.Len < 2 {
				continue
			}
			o.hits[i]++
			return sysfault.Fault{Short: 1 + o.rng.IntN(c.Len-1)}
		}
		o.hits[i]++
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
	for op := range in.ops {
		o := &in.ops[op]
		o.mu.Lock()
		for i, r := range o.rules {
			if o.hits[i] > 0 {
				c.Faults[r.Kind()] += o.hits[i]
				c.FaultsTotal += o.hits[i]
			}
		}
		o.mu.Unlock()
	}
	return c
}
