package cpuprofile

import (
	"os"
	"path/filepath"
	"runtime/pprof"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartWritesAProfileWhenStopped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	stop, err := Start(path)
	require.NoError(t, err)
	require.NoError(t, stop())
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Positive(t, info.Size(), "a stopped profile holds at least its header")
}

func TestStartWithoutAPathDoesNothing(t *testing.T) {
	stop, err := Start("")
	require.NoError(t, err)
	require.NoError(t, stop())
	// No profile is running: another one may start.
	require.NoError(t, pprof.StartCPUProfile(discard{}))
	pprof.StopCPUProfile()
}

func TestStartReportsAFileItCannotCreate(t *testing.T) {
	_, err := Start(filepath.Join(t.TempDir(), "missing", "cpu.pprof"))
	require.Error(t, err)
}

func TestStartReportsAProfileAlreadyRunning(t *testing.T) {
	require.NoError(t, pprof.StartCPUProfile(discard{}))
	defer pprof.StopCPUProfile()
	_, err := Start(filepath.Join(t.TempDir(), "cpu.pprof"))
	require.ErrorContains(t, err, "starting the CPU profile")
}

// discard is an io.Writer that keeps nothing.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
