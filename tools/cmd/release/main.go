// Command release releases every module of the repository at one version: it checks that
// the release would build for the modules' users, sets each module's requirements on its
// siblings to the version, commits that and tags the modules in dependency order
// (api/v0.3.0, buffer/v0.3.0, ...), printing each module's API changes since its previous
// release. It pushes nothing. See docs/releasing.md.
//
// usage: go run ./tools/cmd/release [-dry-run] [-C dir] [-platforms list] vX.Y.Z
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gnetio/gnet/tools/internal/release"
)

// Exit statuses.
const (
	exitOK      = 0
	exitRefused = 1
	exitUsage   = 2
)

// defaultPlatforms cover both pollers: epoll on Linux, kqueue on macOS.
const defaultPlatforms = "linux/amd64,darwin/arm64"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command, minus the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("release", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dryRun := flags.Bool("dry-run", false, "check everything and print what a release would do, changing nothing")
	dir := flags.String("C", ".", "a folder inside the repository; its root is the nearest folder above with a go.work")
	platformList := flags.String("platforms", defaultPlatforms, "comma-separated GOOS/GOARCH pairs every module must build for, and whose APIs are compared")
	flags.Usage = func() {
		complain(stderr, "usage: go run ./tools/cmd/release [-dry-run] [-C dir] [-platforms list] vX.Y.Z")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return exitUsage
	}
	var platforms []release.Platform
	for _, s := range strings.Split(*platformList, ",") {
		p, err := release.ParsePlatform(strings.TrimSpace(s))
		if err != nil {
			complain(stderr, err)
			return exitUsage
		}
		platforms = append(platforms, p)
	}
	root, err := workspaceRoot(*dir)
	if err != nil {
		complain(stderr, err)
		return exitUsage
	}
	_, err = release.Run(release.Options{
		Root:      root,
		Version:   flags.Arg(0),
		DryRun:    *dryRun,
		Platforms: platforms,
		Out:       stdout,
	})
	if err != nil {
		complain(stderr, "release refused:", err)
		return exitRefused
	}
	return exitOK
}

// complain writes a line to stderr; with stderr gone there is nowhere else to say it.
func complain(stderr io.Writer, words ...any) {
	_, _ = fmt.Fprintln(stderr, words...)
}

// workspaceRoot returns the nearest folder at or above dir that holds a go.work.
func workspaceRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.work in %s or above it: run from inside the repository", abs)
		}
	}
}
