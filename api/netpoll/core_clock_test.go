package netpoll

import (
	"errors"
	"testing"
	"time"
)

// The clock's verdicts are about which side of a wait time falls on, never about how much
// time passed: a turn in progress shows in Turn and, once it ends, in Busy; a wait shows in
// Idle; nothing shows once Polling has returned.

func TestTheTurnInProgressShowsInTurnAndOnceItEndsInBusy(t *testing.T) {
	c, _, _ := openFakeCore(t, Options{})
	var during Stats
	err := c.Trigger(PriorityNormal, func(any) error {
		// Bounded: the clock has nanosecond resolution, so this ends within microseconds.
		deadline := time.Now().Add(10 * time.Second)
		for during = c.Stats(); during.Turn == 0 && time.Now().Before(deadline); during = c.Stats() {
		}
		return errStop
	}, nil)
	if err != nil {
		t.Fatal(err)
	}

	if err := c.Polling(func(Token, Event) error { return nil }, nil); !errors.Is(err, errStop) {
		t.Fatalf("Polling = %v, want %v", err, errStop)
	}

	after := c.Stats()
	if during.Turn == 0 || after.Turn != 0 || after.Busy < during.Turn || after.Waits != during.Waits {
		t.Fatalf("during the task %+v, after Polling %+v: want a turn in progress during it, none after, "+
			"Busy at least that turn and no wait between", during, after)
	}
}

func TestABlockingWaitShowsInIdleAndNotInTurn(t *testing.T) {
	c, _, _ := openFakeCore(t, Options{})
	result := make(chan error, 1)
	go func() { result <- c.Polling(func(Token, Event) error { return nil }, nil) }()
	// Once the loop waits with nothing to do, no turn is in progress.
	deadline := time.Now().Add(10 * time.Second)
	var waiting Stats
	for waiting = c.Stats(); (waiting.Waits == 0 || waiting.Turn != 0) && time.Now().Before(deadline); waiting = c.Stats() {
		time.Sleep(time.Millisecond)
	}
	if err := c.Trigger(PriorityNormal, func(any) error { return errStop }, nil); err != nil {
		t.Fatal(err)
	}

	if err := <-result; !errors.Is(err, errStop) {
		t.Fatalf("Polling = %v, want %v", err, errStop)
	}

	after := c.Stats()
	if waiting.Waits == 0 || waiting.Turn != 0 || waiting.Idle != 0 || after.Idle == 0 || after.Turn != 0 {
		t.Fatalf("while waiting %+v, after Polling %+v: want no turn while waiting, the wait in Idle once it ended",
			waiting, after)
	}
}
