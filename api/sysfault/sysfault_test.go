package sysfault_test

import (
	"sync"
	"syscall"
	"testing"

	"github.com/gnetio/gnet/api/sysfault"
)

func TestOpNamesCoverEveryOpAndOutOfRangeOnesAreNamedByNumber(t *testing.T) {
	seen := map[string]bool{}
	for op := range sysfault.NumOps {
		name := op.String()
		if name == "" || seen[name] {
			t.Fatalf("op %d has the name %q, empty or already taken", op, name)
		}
		seen[name] = true
	}
	if got := sysfault.NumOps.String(); got != "op(9)" {
		t.Fatalf("NumOps.String() = %q, want op(9)", got)
	}
}

func TestLimitCutsOnlyWhenShortIsBetweenZeroAndTheLength(t *testing.T) {
	cases := []struct {
		short, n, want int
	}{
		{short: 0, n: 10, want: 10},
		{short: -3, n: 10, want: 10},
		{short: 4, n: 10, want: 4},
		{short: 10, n: 10, want: 10},
		{short: 11, n: 10, want: 10},
		{short: 1, n: 0, want: 0},
	}
	for _, c := range cases {
		if got := (sysfault.Fault{Short: c.short}).Limit(c.n); got != c.want {
			t.Errorf("Fault{Short: %d}.Limit(%d) = %d, want %d", c.short, c.n, got, c.want)
		}
	}
}

func TestCounterCountsCallsAndFaultsByOpAndKindFromManyGoroutines(t *testing.T) {
	inj := sysfault.InjectorFunc(func(c sysfault.Call) sysfault.Fault {
		switch c.Op {
		case sysfault.OpAccept:
			return sysfault.Fault{Errno: syscall.EMFILE}
		case sysfault.OpRead:
			return sysfault.Fault{Short: 1}
		case sysfault.OpWrite:
			return sysfault.Fault{Short: 100} // not below Len: not a fault
		}
		return sysfault.Fault{}
	})
	c := sysfault.NewCounter(inj)
	const goroutines, each = 4, 250
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range each {
				c.Inject(sysfault.Call{Op: sysfault.OpAccept, FD: 3})
				c.Inject(sysfault.Call{Op: sysfault.OpRead, FD: 4, Len: 8})
				c.Inject(sysfault.Call{Op: sysfault.OpWrite, FD: 4, Len: 8})
				c.Inject(sysfault.Call{Op: sysfault.OpWait, FD: 5})
			}
		})
	}
	wg.Wait()
	const n = goroutines * each
	for _, op := range []sysfault.Op{sysfault.OpAccept, sysfault.OpRead, sysfault.OpWrite, sysfault.OpWait} {
		if got := c.Calls(op); got != n {
			t.Errorf("Calls(%v) = %d, want %d", op, got, n)
		}
	}
	if got := c.Errnos(sysfault.OpAccept, syscall.EMFILE); got != n {
		t.Errorf("accept EMFILE = %d, want %d", got, n)
	}
	if got := c.Shorts(sysfault.OpRead); got != n {
		t.Errorf("short reads = %d, want %d", got, n)
	}
	if got := c.Shorts(sysfault.OpWrite); got != 0 {
		t.Errorf("short writes = %d, want 0 (Short was not below Len)", got)
	}
	if got, want := c.Injected(), uint64(2*n); got != want {
		t.Errorf("Injected() = %d, want %d", got, want)
	}
	if got, want := c.TotalCalls(), uint64(4*n); got != want {
		t.Errorf("TotalCalls() = %d, want %d", got, want)
	}
	if got, want := c.String(), "accept EMFILE 1000; read short 1000"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestCounterWithoutAnInjectorInjectsNothing(t *testing.T) {
	c := sysfault.NewCounter(nil)
	if f := c.Inject(sysfault.Call{Op: sysfault.OpRead, Len: 5}); f != (sysfault.Fault{}) {
		t.Fatalf("Inject = %+v, want the zero Fault", f)
	}
	if c.Calls(sysfault.OpRead) != 1 || c.Injected() != 0 || c.String() != "none" {
		t.Fatalf("calls %d, injected %d, %q", c.Calls(sysfault.OpRead), c.Injected(), c.String())
	}
	if f := c.Inject(sysfault.Call{Op: sysfault.NumOps}); f != (sysfault.Fault{}) || c.Calls(sysfault.NumOps) != 0 {
		t.Fatalf("an out-of-range op was counted or faulted")
	}
}

func TestErrnoNameNamesTheUsualErrnosAndNumbersOthers(t *testing.T) {
	if got := sysfault.ErrnoName(syscall.ECONNRESET); got != "ECONNRESET" {
		t.Fatalf("got %q", got)
	}
	if got := sysfault.ErrnoName(syscall.Errno(250)); got != "errno 250" {
		t.Fatalf("got %q", got)
	}
}
