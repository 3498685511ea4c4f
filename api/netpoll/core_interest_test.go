package netpoll

import (
	"slices"
	"testing"
)

func TestInterestChangesReachTheKernelAsOneControlEach(t *testing.T) {
	tests := []struct {
		name         string
		change       func(c *Core[fakeEvent], fd int) error
		wantOp       Op
		wantInterest Event
	}{
		{name: "AddRead", change: (*Core[fakeEvent]).AddRead, wantOp: OpAdd, wantInterest: EventRead},
		{name: "AddReadWrite", change: (*Core[fakeEvent]).AddReadWrite, wantOp: OpAdd, wantInterest: EventRead | EventWrite},
		{name: "AddWrite", change: (*Core[fakeEvent]).AddWrite, wantOp: OpAdd, wantInterest: EventWrite},
		{name: "ModRead", change: (*Core[fakeEvent]).ModRead, wantOp: OpModify, wantInterest: EventRead},
		{name: "ModReadWrite", change: (*Core[fakeEvent]).ModReadWrite, wantOp: OpModify, wantInterest: EventRead | EventWrite},
		{name: "ModWrite", change: (*Core[fakeEvent]).ModWrite, wantOp: OpModify, wantInterest: EventWrite},
		{name: "Delete", change: (*Core[fakeEvent]).Delete, wantOp: OpDelete, wantInterest: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, kernel, _ := openFakeCore(t, Options{})

			err := tc.change(c, 7)

			want := []control{{op: tc.wantOp, fd: 7, interest: tc.wantInterest}}
			if err != nil || !slices.Equal(kernel.controls, want) {
				t.Fatalf("%s(7) = %v with controls %+v, want nil with %+v", tc.name, err, kernel.controls, want)
			}
		})
	}
}
