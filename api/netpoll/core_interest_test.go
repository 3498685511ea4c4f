package netpoll

import (
	"errors"
	"slices"
	"testing"
)

func TestRegistrationChangesReachTheKernelAsOneControlEachWithTheirToken(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Core[fakeEvent]) error
		want   control
	}{
		{
			name:   "Register for reading",
			change: func(c *Core[fakeEvent]) error { return c.Register(7, 1<<32|7, EventRead) },
			want:   control{op: OpAdd, fd: 7, token: 1<<32 | 7, interest: EventRead},
		},
		{
			name:   "Register for writing",
			change: func(c *Core[fakeEvent]) error { return c.Register(7, 9, EventWrite) },
			want:   control{op: OpAdd, fd: 7, token: 9, interest: EventWrite},
		},
		{
			name:   "Reregister for both",
			change: func(c *Core[fakeEvent]) error { return c.Reregister(7, 2<<32|7, EventRead|EventWrite) },
			want:   control{op: OpModify, fd: 7, token: 2<<32 | 7, interest: EventRead | EventWrite},
		},
		{
			name:   "Deregister",
			change: func(c *Core[fakeEvent]) error { return c.Deregister(7) },
			want:   control{op: OpDelete, fd: 7},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, kernel, _ := openFakeCore(t, Options{})

			err := tc.change(c)

			want := []control{tc.want}
			if err != nil || !slices.Equal(kernel.controls, want) {
				t.Fatalf("%s = %v with controls %+v, want nil with %+v", tc.name, err, kernel.controls, want)
			}
		})
	}
}

func TestTheReservedTokenIsRefusedBeforeReachingTheKernel(t *testing.T) {
	c, kernel, _ := openFakeCore(t, Options{})

	registerErr := c.Register(7, ReservedToken, EventRead)
	reregisterErr := c.Reregister(7, ReservedToken, EventWrite)

	if !errors.Is(registerErr, ErrReservedToken) || !errors.Is(reregisterErr, ErrReservedToken) || len(kernel.controls) != 0 {
		t.Fatalf("Register, Reregister = %v, %v with controls %+v; want %v twice and none",
			registerErr, reregisterErr, kernel.controls, ErrReservedToken)
	}
}
