package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWindowTallyNamesEachFailedWorker(t *testing.T) {
	tests := []struct {
		name        string
		counted     uint64
		err         error
		interrupted bool
		wantErr     error
	}{
		{name: "counted and no error", counted: 3},
		{name: "nothing counted in a full window is no progress", counted: 0, wantErr: ErrNoProgress},
		{name: "nothing counted in an interrupted window is no fault", counted: 0, interrupted: true},
		{name: "an I/O error is kept", counted: 3, err: io.ErrUnexpectedEOF, wantErr: io.ErrUnexpectedEOF},
		{name: "an I/O error wins over no progress", counted: 0, err: io.ErrUnexpectedEOF, wantErr: io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tally windowTally
			var latency histogram
			latency.record(time.Millisecond)
			tally.add("connection 7", &latency, tt.counted, tt.err, tt.interrupted)
			stats := tally.stats(window{elapsed: time.Second, cpu: time.Second / 2, interrupted: tt.interrupted})

			assert.InDelta(t, 50.0, stats.busyPercent(), 1e-9)
			assert.Positive(t, stats.P99Micros)
			if tt.wantErr == nil {
				assert.Zero(t, stats.errorCount())
				assert.Empty(t, stats.FirstError)
				return
			}
			assert.Equal(t, 1, stats.errorCount())
			assert.ErrorIs(t, stats.connErrors[0], tt.wantErr)
			assert.Equal(t, "connection 7: "+tt.wantErr.Error(), stats.FirstError)
		})
	}
}
