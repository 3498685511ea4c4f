package netpoll

import (
	"errors"
	"runtime"
	"testing"
)

func TestCloseStopsPollingAndClosesTheDescriptorsOnce(t *testing.T) {
	tests := []struct {
		name string
		// stopPolling makes Close stop Polling on c and returns Polling's error.
		stopPolling func(t *testing.T, c *Core[fakeEvent]) error
		wantWakes   int
	}{
		{
			name: "before Polling starts",
			stopPolling: func(t *testing.T, c *Core[fakeEvent]) error {
				if err := c.Close(); err != nil {
					t.Fatal(err)
				}
				return c.Polling(func(Token, Event) error { return nil }, nil)
			},
			wantWakes: 0,
		},
		{
			name: "from another goroutine while polling",
			stopPolling: func(t *testing.T, c *Core[fakeEvent]) error {
				running := make(chan struct{})
				if err := c.Trigger(PriorityNormal, func(any) error { close(running); return nil }, nil); err != nil {
					t.Fatal(err)
				}
				polled := make(chan error, 1)
				go func() { polled <- c.Polling(func(Token, Event) error { return nil }, nil) }()
				<-running
				if err := c.Close(); err != nil {
					t.Fatal(err)
				}
				return <-polled
			},
			wantWakes: 2, // the trigger's and Close's
		},
		{
			name: "from inside a task",
			stopPolling: func(t *testing.T, c *Core[fakeEvent]) error {
				if err := c.Trigger(PriorityNormal, func(any) error { return c.Close() }, nil); err != nil {
					t.Fatal(err)
				}
				return c.Polling(func(Token, Event) error { return nil }, nil)
			},
			wantWakes: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, kernel, _ := openFakeCore(t, Options{})

			err := tc.stopPolling(t, c)

			secondClose := c.Close()
			afterClose := c.Trigger(PriorityNormal, func(any) error { return nil }, nil)
			addAfterClose := c.Register(3, 3, EventRead)
			wakeCalls, closeCalls := kernel.counts()
			if !errors.Is(err, ErrPollerClosed) || secondClose != nil || !errors.Is(afterClose, ErrPollerClosed) ||
				!errors.Is(addAfterClose, ErrPollerClosed) {
				t.Fatalf("Polling = %v, second Close = %v, Trigger and Register after Close = %v, %v; want %v, nil, %v, %v",
					err, secondClose, afterClose, addAfterClose, ErrPollerClosed, ErrPollerClosed, ErrPollerClosed)
			}
			if closeCalls != 1 || wakeCalls != tc.wantWakes || len(kernel.controls) != 0 {
				t.Fatalf("descriptors closed %d times after %d wakes and %d registrations, want once after %d and none",
					closeCalls, wakeCalls, len(kernel.controls), tc.wantWakes)
			}
		})
	}
}

// maxSpins bounds a loop that yields while waiting for another goroutine's step.
const maxSpins = 1_000_000

func TestBorrowedDescriptorsStayOpenUntilReturned(t *testing.T) {
	c, kernel, _ := openFakeCore(t, Options{})
	if !c.borrowDescriptors() {
		t.Fatal("borrowDescriptors failed on an open poller")
	}
	closed := make(chan error, 1)
	go func() { closed <- c.Close() }()
	// Close marks the poller closed before it waits for borrowers.
	for spins := 0; !c.closed.Load(); spins++ {
		if spins == maxSpins {
			t.Fatal("Close never marked the poller closed")
		}
		runtime.Gosched()
	}

	_, closeCallsWhileBorrowed := kernel.counts()
	c.returnDescriptors()
	err := <-closed

	_, closeCalls := kernel.counts()
	if closeCallsWhileBorrowed != 0 || err != nil || closeCalls != 1 {
		t.Fatalf("closed %d times while borrowed; Close = %v, closed %d times after, want 0, nil, 1",
			closeCallsWhileBorrowed, err, closeCalls)
	}
}
