//go:build linux

package gracefultest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// replaceExecutable renames a new file with content over path, as a deployment does; a
// process already running from path keeps its own copy of the old file.
func replaceExecutable(t *testing.T, path, content string) {
	t.Helper()
	next := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".next")
	require.NoError(t, os.WriteFile(next, []byte(content), 0o755))
	require.NoError(t, os.Rename(next, path))
}

// copyExecutable copies the file at from to a new executable file at to.
func copyExecutable(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, data, 0o755))
}

// shellQuote quotes s for /bin/sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
