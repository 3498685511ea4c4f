//go:build gnetfaults

package netpoll

import (
	"errors"
	"syscall"
	"testing"

	"github.com/gnetio/gnet/api/sysfault"
)

func TestAnInjectedControlFaultFailsTheChangeWithoutReachingTheKernel(t *testing.T) {
	c, kernel, _ := openFakeCore(t, Options{})
	undo := sysfault.Install(sysfault.InjectorFunc(func(call sysfault.Call) sysfault.Fault {
		if call.Op == sysfault.OpControl && call.FD == 7 {
			return sysfault.Fault{Errno: syscall.ENOMEM}
		}
		return sysfault.Fault{}
	}))
	defer undo()

	errRefused := c.Register(7, 7, EventRead)
	errOther := c.Register(8, 8, EventRead)

	if !errors.Is(errRefused, syscall.ENOMEM) || errOther != nil {
		t.Fatalf("Register(7) = %v, Register(8) = %v; want ENOMEM and nil", errRefused, errOther)
	}
	if len(kernel.controls) != 1 || kernel.controls[0].fd != 8 {
		t.Fatalf("the kernel saw %+v, want only fd 8's registration", kernel.controls)
	}
}

func TestInjectedEINTRInTheWaitIsRetriedAndAnotherErrnoStopsPolling(t *testing.T) {
	tests := []struct {
		name      string
		errnos    []syscall.Errno
		wantErr   error
		wantWaits uint64
	}{
		{name: "EINTR is retried", errnos: []syscall.Errno{syscall.EINTR, syscall.EINTR}, wantErr: errStop, wantWaits: 3},
		{name: "EBADF stops polling", errnos: []syscall.Errno{syscall.EBADF}, wantErr: syscall.EBADF, wantWaits: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _ := openFakeCore(t, Options{})
			left := tc.errnos
			undo := sysfault.Install(sysfault.InjectorFunc(func(call sysfault.Call) sysfault.Fault {
				if call.Op != sysfault.OpWait || len(left) == 0 {
					return sysfault.Fault{}
				}
				e := left[0]
				left = left[1:] // only the polling goroutine waits
				return sysfault.Fault{Errno: e}
			}))
			defer undo()
			if err := c.Trigger(PriorityUrgent, func(any) error { return errStop }, nil); err != nil {
				t.Fatal(err)
			}

			err := c.Polling(func(Token, Event) error { return nil }, nil)

			if !errors.Is(err, tc.wantErr) || c.Stats().Waits != tc.wantWaits {
				t.Fatalf("Polling = %v after %d waits, want %v after %d", err, c.Stats().Waits, tc.wantErr, tc.wantWaits)
			}
		})
	}
}
