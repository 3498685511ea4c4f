package release

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The fixture is a git repository of three modules whose dependency order is the reverse of
// their folders' alphabetical order: app requires mid, mid requires zeta.
var fixtureFiles = map[string]string{
	"go.work":     "go 1.26\n\nuse (\n\t./app\n\t./mid\n\t./zeta\n)\n",
	"zeta/go.mod": "module example.com/rel/zeta\n\ngo 1.26\n",
	"zeta/zeta.go": `package zeta

// F is in every release.
func F() int { return 1 }

// G is what a test removes.
func G() int { return 2 }
`,
	"mid/go.mod": `module example.com/rel/mid

go 1.26

require example.com/rel/zeta v0.0.0-00010101000000-000000000000

replace example.com/rel/zeta => ../zeta
`,
	"mid/mid.go": `package mid

import "example.com/rel/zeta"

// H calls into zeta.
func H() int { return zeta.F() }
`,
	"app/go.mod": `module example.com/rel/app

go 1.26

require example.com/rel/mid v0.0.0-00010101000000-000000000000

require example.com/rel/zeta v0.0.0-00010101000000-000000000000 // indirect

replace (
	example.com/rel/mid => ../mid
	example.com/rel/zeta => ../zeta
)
`,
	"app/main.go": `package main

import "example.com/rel/mid"

func main() { println(mid.H()) }
`,
}

// fixture is a temporary copy of the fixture repository, committed once.
type fixture struct {
	t    *testing.T
	root string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	for _, tool := range []string{"git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH: the release tool runs it", tool)
		}
	}
	f := &fixture{t: t, root: t.TempDir()}
	for name, content := range fixtureFiles {
		f.write(name, content)
	}
	f.git("init", "-q")
	// The repository's own identity and settings, whatever the user's global git config says.
	f.git("config", "user.name", "release test")
	f.git("config", "user.email", "release-test@example.com")
	f.git("config", "commit.gpgsign", "false")
	f.git("config", "tag.gpgsign", "false")
	f.commit("the fixture")
	return f
}

func (f *fixture) write(name, content string) {
	f.t.Helper()
	path := filepath.Join(f.root, filepath.FromSlash(name))
	require.NoError(f.t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(f.t, os.WriteFile(path, []byte(content), 0o644))
}

func (f *fixture) read(name string) string {
	f.t.Helper()
	data, err := os.ReadFile(filepath.Join(f.root, filepath.FromSlash(name)))
	require.NoError(f.t, err)
	return string(data)
}

func (f *fixture) git(args ...string) string {
	f.t.Helper()
	out, err := repo{dir: f.root}.git(args...)
	require.NoError(f.t, err)
	return out
}

func (f *fixture) commit(msg string) {
	f.t.Helper()
	f.git("add", "-A")
	f.git("commit", "-q", "-m", msg)
}

// release runs the release tool on the fixture for the host and returns what it printed.
func (f *fixture) release(version string, dryRun bool) (*Result, string, error) {
	f.t.Helper()
	var out bytes.Buffer
	res, err := Run(Options{Root: f.root, Version: version, DryRun: dryRun, Out: &out})
	return res, out.String(), err
}

// state is the repository's commit, tags and work tree status, to compare before and after a
// run that must change nothing.
func (f *fixture) state() string {
	f.t.Helper()
	return strings.Join([]string{
		f.git("rev-parse", "HEAD"),
		f.git("tag", "--list"),
		f.git("status", "--porcelain"),
	}, "\n")
}
