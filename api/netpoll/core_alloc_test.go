package netpoll

import (
	"errors"
	"testing"
)

func TestTriggerAndOneIterationOfPollingAllocateNothing(t *testing.T) {
	c, _, tasks := openFakeCore(t, Options{})
	tasks.queued = make([]fakeTask, 0, 8) // the fake's own slice must not grow meanwhile
	arg := &struct{ calls int }{}
	count := func(a any) error {
		a.(*struct{ calls int }).calls++
		return nil
	}
	stop := func(any) error { return errStop }
	onReady := func(Token, Event) error { return nil }

	allocs := testing.AllocsPerRun(100, func() {
		if err := c.Trigger(PriorityNormal, count, arg); err != nil {
			t.Fatal(err)
		}
		if err := c.Trigger(PriorityNormal, stop, nil); err != nil {
			t.Fatal(err)
		}
		if err := c.Polling(onReady, nil); !errors.Is(err, errStop) {
			t.Fatal(err)
		}
	})

	if allocs != 0 || arg.calls != 101 {
		t.Fatalf("%v allocations per run and %d calls, want 0 and 101 (AllocsPerRun warms up once)", allocs, arg.calls)
	}
}
