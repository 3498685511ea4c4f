package testutil

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// fatalRecorder is a testing.TB whose Fatalf records the failure instead of ending the test,
// so that a test can check that a helper fails when it should.
type fatalRecorder struct {
	testing.TB
	failure string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.failure = fmt.Sprintf(format, args...)
}

func TestRequireNoLeaksPassesWhenEverythingWasReleased(t *testing.T) {
	before := Snapshot(t)
	file, err := os.Open(os.DevNull)
	require.NoError(t, err)
	done := make(chan struct{})
	go func() { <-done }()
	require.NoError(t, file.Close())
	close(done)

	recorder := &fatalRecorder{TB: t}
	RequireNoLeaks(recorder, before)
	require.Empty(t, recorder.failure)
}

func TestRequireNoLeaksReportsAGoroutineAndADescriptorLeftBehind(t *testing.T) {
	before := Snapshot(t)
	file, err := os.Open(os.DevNull)
	require.NoError(t, err)
	release := make(chan struct{})
	go func() { <-release }()
	t.Cleanup(func() {
		close(release)
		require.NoError(t, file.Close())
	})

	recorder := &fatalRecorder{TB: t}
	RequireNoLeaks(recorder, before)
	require.Contains(t, recorder.failure, "leaked")
	require.Contains(t, recorder.failure, os.DevNull, "the open descriptors are listed")
	require.Contains(t, recorder.failure, "TestRequireNoLeaksReportsAGoroutineAndADescriptorLeftBehind", "the goroutines' stacks are listed")
}
