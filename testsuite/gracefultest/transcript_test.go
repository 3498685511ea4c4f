package gracefultest

import (
	"bufio"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// maxLineLength bounds one line a child prints; the engine's logs with a stack trace are the
// longest.
const maxLineLength = 1 << 20

// transcript keeps every line a stream (a child's standard output or error) delivered, so that
// a test can wait for an event line and look back at all of them. A restarted server's
// successor inherits the stream, so its lines arrive in the same transcript. Safe from any
// goroutine.
type transcript struct {
	name  string
	mu    sync.Mutex
	lines []string
	// grew is closed, and replaced, whenever a line arrives or the stream ends.
	grew  chan struct{}
	ended bool
}

// newTranscript reads r to its end on a goroutine of its own, then closes it. The end comes
// once every process holding the writing side has exited.
func newTranscript(name string, r io.ReadCloser) *transcript {
	tr := &transcript{name: name, grew: make(chan struct{})}
	go tr.read(r)
	return tr
}

func (tr *transcript) read(r io.ReadCloser) {
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, 4096), maxLineLength)
	for scanner.Scan() {
		tr.mu.Lock()
		tr.lines = append(tr.lines, scanner.Text())
		close(tr.grew)
		tr.grew = make(chan struct{})
		tr.mu.Unlock()
	}
	// The scanner stops at end of file or at a line too long; either way nothing more will
	// be kept, and closing our reading side can only fail if it is already closed.
	_ = r.Close()
	tr.mu.Lock()
	tr.ended = true
	close(tr.grew)
	tr.mu.Unlock()
}

// waitFor waits, up to testutil.WaitLimit, for a line that pattern matches and accept (given
// the submatches) takes, and returns its submatches. Lines that arrived before the call count.
// It fails the test when the stream ends or the wait runs out first.
func (tr *transcript) waitFor(t *testing.T, pattern *regexp.Regexp, accept func(match []string) bool) []string {
	t.Helper()
	deadline := time.NewTimer(testutil.WaitLimit)
	defer deadline.Stop()
	for {
		tr.mu.Lock()
		for _, line := range tr.lines {
			if match := pattern.FindStringSubmatch(line); match != nil && (accept == nil || accept(match)) {
				tr.mu.Unlock()
				return match
			}
		}
		ended, grew := tr.ended, tr.grew
		tr.mu.Unlock()
		if ended {
			t.Fatalf("%s ended without a line matching %q:\n%s", tr.name, pattern, tr)
		}
		select {
		case <-grew:
		case <-deadline.C:
			t.Fatalf("no line matching %q on %s within %v:\n%s", pattern, tr.name, testutil.WaitLimit, tr)
		}
	}
}

// count returns how many lines contain substr.
func (tr *transcript) count(substr string) int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	n := 0
	for _, line := range tr.lines {
		if strings.Contains(line, substr) {
			n++
		}
	}
	return n
}

// String returns every line kept so far, for failure messages.
func (tr *transcript) String() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return strings.Join(tr.lines, "\n")
}
