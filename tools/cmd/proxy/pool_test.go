package main

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPoolPickSkipsDownAndUnresolvedBackendsAndWrapsAround(t *testing.T) {
	tests := []struct {
		name      string
		down      []int
		start     int
		offset    int
		wantIndex int
		wantAt    int
		wantOK    bool
	}{
		{name: "the backend at the start when healthy", start: 1, wantIndex: 1, wantAt: 0, wantOK: true},
		{name: "past a down backend", down: []int{1}, start: 1, wantIndex: 2, wantAt: 1, wantOK: true},
		{name: "wrapping around the end of the list", down: []int{2}, start: 2, wantIndex: 0, wantAt: 2, wantOK: true},
		{name: "past the unresolved named backend", start: 3, wantIndex: 0, wantAt: 1, wantOK: true},
		{name: "nothing once every offset was tried", start: 0, offset: 4, wantOK: false},
		{name: "nothing when every resolved backend is down", down: []int{0, 1, 2}, start: 0, wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPool([]string{"127.0.0.1:1", "127.0.0.1:2", "[::1]:3", "backend.invalid:4"}, nil)
			for _, i := range tt.down {
				p.markDown(i, errors.New("test"))
			}
			index, at, ok := p.pick(tt.start, tt.offset)
			require.Equal(t, tt.wantOK, ok)
			if ok {
				assert.Equal(t, tt.wantIndex, index)
				assert.Equal(t, tt.wantAt, at)
			}
		})
	}
}
