package modproof

import (
	"bufio"
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gnetio/gnet/tools/internal/release"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/module"
)

// proofVersion is the version the proxy serves every module at: a pre-release no tag uses.
const proofVersion = "v0.0.0-modproof"

const ourPrefix = "github.com/gnetio/gnet/"

// loadRepository loads the modules of the repository this package is part of.
func loadRepository(t *testing.T) *release.Workspace {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	require.NoError(t, err)
	w, err := release.LoadWorkspace(root)
	require.NoError(t, err)
	return w
}

// A program outside the workspace that requires one of our modules builds from the module
// proxy alone and gets that module and what it needs, nothing else. The proxy serves the work
// tree as the release tool would release it, so this also proves the release's rewrite.
func TestProgramsOutsideTheWorkspaceGetOnlyTheModulesTheyImport(t *testing.T) {
	w := loadRepository(t)
	// Outside the workspace the go command quietly takes a module that a go.mod forgot to
	// require from the proxy (-mod=mod, or go get), so the builds below would pass without
	// a requirement; and without its replace directive a module no longer builds from a
	// clone. These two checks show both.
	missing, err := MissingRequirements(w)
	require.NoError(t, err)
	require.Empty(t, missing, "add each with: cd MODULE && go mod edit -require=PATH@VERSION -replace=PATH=../FOLDER")
	require.NoError(t, release.CheckReplaced(w))

	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH: the proof builds programs with the go command")
	}
	proxy := t.TempDir()
	require.NoError(t, WriteProxy(w, proofVersion, proxy))
	proxies := proxyList(t, proxy)

	tests := []struct {
		name     string
		program  string // folder under testdata
		requires string // our module the program requires
		// wantBuilt are the modules whose packages the program is built from, besides its own,
		// and so the only ones whose files the go command downloads.
		wantBuilt []string
		// wantGraph are our modules in its module graph (go list -m all).
		wantGraph []string
		// wantOutput is a part of what the program prints.
		wantOutput string
	}{
		{
			name: "buffer alone", program: "bufferonly", requires: "buffer",
			wantBuilt:  []string{ourPrefix + "buffer"},
			wantGraph:  []string{ourPrefix + "buffer"},
			wantOutput: "buffered 4 bytes",
		},
		{
			name: "codec", program: "codeconly", requires: "codec",
			wantBuilt:  []string{ourPrefix + "api", ourPrefix + "codec"},
			wantGraph:  []string{ourPrefix + "api", ourPrefix + "codec"},
			wantOutput: `encoded "frame\n"`,
		},
		{
			name: "an echo server over loopback TCP", program: "echoserver", requires: "server",
			wantBuilt: []string{
				ourPrefix + "api", ourPrefix + "buffer", ourPrefix + "codec", ourPrefix + hostPoller(),
				ourPrefix + "server", "go.uber.org/multierr", "go.uber.org/zap", "golang.org/x/sys",
			},
			wantGraph: []string{
				ourPrefix + "api", ourPrefix + "buffer", ourPrefix + "codec", ourPrefix + "poller-bsd",
				ourPrefix + "poller-linux", ourPrefix + "server",
			},
			wantOutput: "echoed 32 bytes over 127.0.0.1:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := consumerModule(t, w, tt.program, tt.requires)
			modcache := filepath.Join(t.TempDir(), "modcache")
			env := consumerEnv(proxies, modcache)

			out := runGo(t, dir, env, "run", ".")
			assert.Contains(t, out, tt.wantOutput)

			built := strings.Fields(runGo(t, dir, env, "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}{{end}}{{end}}", "."))
			slices.Sort(built)
			assert.Equal(t, tt.wantBuilt, slices.Compact(built), "modules the program is built from")
			assert.Equal(t, tt.wantBuilt, downloadedModules(t, modcache), "modules whose files were downloaded")

			var ours, graph []string
			for _, line := range strings.Split(strings.TrimSpace(runGo(t, dir, env, "list", "-m", "all")), "\n")[1:] {
				fields := strings.Fields(line)
				graph = append(graph, fields[0])
				if strings.HasPrefix(fields[0], ourPrefix) {
					ours = append(ours, fields[0])
					assert.Equal(t, proofVersion, fields[1], "%s is at the served version", fields[0])
				}
			}
			assert.Equal(t, tt.wantGraph, ours, "our modules in the module graph")
			if tt.requires != "server" {
				assert.NotContains(t, graph, "go.uber.org/zap", "only server may bring the logger")
				assert.NotContains(t, graph, "golang.org/x/sys", "only server and the pollers may bring x/sys")
			}
			// testify is in the graph of a module whose go.mod requires it for its own tests
			// (codec's, server's), as a go.mod and nothing more: the checks above show that
			// none of its files is downloaded or built. A module without tests that use it
			// (buffer) does not even name it.
			if tt.requires == "buffer" {
				assert.NotContains(t, graph, "github.com/stretchr/testify")
			}
		})
	}
}

// hostPoller is the poller module server builds with here.
func hostPoller() string {
	if runtime.GOOS == "linux" {
		return "poller-linux"
	}
	return "poller-bsd"
}

// proxyList is the GOPROXY of the programs: our modules from proxy, everything else from
// the module cache this machine already has and then from the usual proxy.
func proxyList(t *testing.T, proxy string) string {
	t.Helper()
	goEnv := func(name string) string {
		out, err := exec.Command("go", "env", name).Output()
		require.NoError(t, err, "go env %s", name)
		return strings.TrimSpace(string(out))
	}
	proxies := []string{fileURL(proxy)}
	if cache := goEnv("GOMODCACHE"); cache != "" {
		proxies = append(proxies, fileURL(filepath.Join(cache, "cache", "download")))
	}
	if upstream := goEnv("GOPROXY"); upstream != "" && upstream != "off" {
		proxies = append(proxies, upstream)
	}
	return strings.Join(proxies, ",")
}

// consumerEnv is the go command's environment for a program: no workspace, modules from
// proxies, checksums verified as usual except for our modules, which no checksum database
// knows. The module cache is a new one, so that nothing of ours comes from an earlier run and
// what was downloaded can be seen, and writable so that the test can remove it.
func consumerEnv(proxies, modcache string) []string {
	return append(os.Environ(),
		"GOWORK=off",
		"GOFLAGS=-mod=mod -modcacherw",
		"GOPROXY="+proxies,
		"GONOSUMDB="+strings.TrimSuffix(ourPrefix, "/"),
		"GOPRIVATE=",
		"GONOPROXY=",
		"GOMODCACHE="+modcache,
		"GOTOOLCHAIN=local",
	)
}

// downloadedModules lists, sorted, the modules whose zip the go command fetched into modcache.
func downloadedModules(t *testing.T, modcache string) []string {
	t.Helper()
	downloads := filepath.Join(modcache, "cache", "download")
	var modules []string
	err := filepath.WalkDir(downloads, func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(file, ".zip") {
			return err
		}
		rel, err := filepath.Rel(downloads, filepath.Dir(filepath.Dir(file))) // above @v
		if err != nil {
			return err
		}
		path, err := module.UnescapePath(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		modules = append(modules, path)
		return nil
	})
	require.NoError(t, err)
	slices.Sort(modules)
	return slices.Compact(modules)
}

func fileURL(dir string) string { return "file://" + filepath.ToSlash(dir) }

// consumerModule makes a module in a temporary folder with the program of testdata/program,
// requiring our module requires at the proof version. Its go.sum starts with the checksums
// our modules recorded for the third-party modules they use.
func consumerModule(t *testing.T, w *release.Workspace, program, requires string) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("testdata", program, "main.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644))
	goMod := "module example.com/consumer\n\ngo 1.26\n\nrequire " + ourPrefix + requires + " " + proofVersion + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), knownChecksums(t, w), 0o644))
	return dir
}

// knownChecksums joins the go.sum files of every module, each line once.
func knownChecksums(t *testing.T, w *release.Workspace) []byte {
	t.Helper()
	seen := make(map[string]bool)
	var sums bytes.Buffer
	for _, m := range w.Modules {
		data, err := os.ReadFile(filepath.Join(w.Abs(m), "go.sum"))
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		lines := bufio.NewScanner(bytes.NewReader(data))
		for lines.Scan() {
			if line := lines.Text(); line != "" && !seen[line] {
				seen[line] = true
				sums.WriteString(line + "\n")
			}
		}
	}
	return sums.Bytes()
}

// runGo runs the go command in dir and returns its standard output; a failure fails the test
// with everything it printed.
func runGo(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, err, "go %s in %s:\n%s%s", strings.Join(args, " "), dir, stdout.String(), stderr.String())
	return stdout.String()
}
