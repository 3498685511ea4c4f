package pollertest

import (
	"os"
	"testing"
)

// openDescriptorCount returns how many descriptors the process has open, and false where
// /proc/self/fd does not exist (Darwin, BSDs without linprocfs), so that only the leak check
// is skipped there.
func openDescriptorCount(t testing.TB) (int, bool) {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Logf("descriptor leak check skipped: %v", err)
		return 0, false
	}
	return len(entries), true
}
