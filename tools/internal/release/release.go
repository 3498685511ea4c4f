package release

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Options says what to release.
type Options struct {
	// Root is the repository root, where go.work is.
	Root string
	// Version is the one version every module is released at, such as v0.3.0.
	Version string
	// DryRun makes Run check everything and print what it would do, changing nothing.
	DryRun bool
	// Platforms are the GOOS/GOARCH pairs every module must build for, and whose APIs are
	// compared; none means the host's alone.
	Platforms []Platform
	// Out receives the progress, the API report and the plan; nil discards them.
	Out io.Writer
}

// Result is what Run did, or on a dry run would do.
type Result struct {
	// Order is the modules in dependency order, the order they are tagged in.
	Order []*Module
	// Tags are the release's tags, in the same order.
	Tags []string
	// Rewritten are the modules whose go.mod the release commit changes, in Order.
	Rewritten []*Module
	// Commit is the release commit, "" on a dry run or when no go.mod needed a change.
	Commit string
	// APIReports has one report per module, in Order.
	APIReports []APIReport
}

// Run releases every module of the repository at opts.Version. It refuses (with an error
// wrapping one of the Err values) before changing anything when the release would break:
// an invalid version, a dirty tree, a cycle, a tag that exists or a newer release, a sibling
// requirement not replaced by its folder, a module that is not tidy or does not build on
// its own, or an incompatible API change at v1 or above. Otherwise it sets every sibling
// requirement to the version, commits that, and tags the modules in dependency order. It
// pushes nothing.
func Run(opts Options) (*Result, error) {
	out := opts.Out
	if out == nil {
		out = io.Discard
	}
	platforms := opts.Platforms
	if len(platforms) == 0 {
		platforms = []Platform{Host()}
	}
	version := opts.Version
	w, err := LoadWorkspace(opts.Root)
	if err != nil {
		return nil, err
	}
	r := repo{dir: opts.Root}
	order, tags, err := checkRelease(w, r, version, platforms, out)
	if err != nil {
		return nil, err
	}
	res := &Result{Order: order}
	for _, m := range order {
		res.Tags = append(res.Tags, m.Tag(version))
	}
	say(out, "comparing each module's API with its previous release\n")
	if res.APIReports, err = apiReports(r, w, order, tags, platforms); err != nil {
		return nil, err
	}
	writeAPIReports(out, version, res.APIReports)
	if err := checkCompatible(res.APIReports, version); err != nil {
		return nil, err
	}

	rewrites := make(map[*Module][]byte)
	for _, m := range order {
		goMod, changed, err := Rewrite(m, version)
		if err != nil {
			return nil, err
		}
		if changed {
			rewrites[m] = goMod
			res.Rewritten = append(res.Rewritten, m)
		}
	}
	writePlan(out, w, res, version)
	if opts.DryRun {
		say(out, "dry run: nothing was changed\n")
		return res, nil
	}
	if res.Commit, err = apply(r, w, res, rewrites, version); err != nil {
		return nil, err
	}
	say(out, "released %s: %d tags on %s; nothing was pushed. To publish:\n  git push origin HEAD %s\n",
		version, len(res.Tags), shortHash(r), strings.Join(res.Tags, " "))
	return res, nil
}

// apiReports compares each module with its previous release, from a copy of the tree at
// that release's tag.
func apiReports(r repo, w *Workspace, order []*Module, tags []string, platforms []Platform) ([]APIReport, error) {
	tmp, err := os.MkdirTemp("", "gnet-release-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }() // a leftover temporary copy harms nothing
	trees := make(map[string]string)         // commit -> copy of its tree
	var reports []APIReport
	for _, m := range order {
		report := APIReport{Module: m, Previous: m.latestRelease(tags)}
		if report.Previous != "" {
			commit, err := r.git("rev-parse", m.Tag(report.Previous)+"^{commit}")
			if err != nil {
				return nil, err
			}
			tree, ok := trees[commit]
			if !ok {
				tree = filepath.Join(tmp, commit)
				if err := r.extract(commit, tree); err != nil {
					return nil, err
				}
				trees[commit] = tree
			}
			oldDir := filepath.Join(tree, filepath.FromSlash(m.Dir))
			report.Incompatible, report.Compatible, err = compareAPI(m, oldDir, w.Abs(m), platforms)
			if err != nil {
				return nil, err
			}
		}
		reports = append(reports, report)
	}
	return reports, nil
}

// writePlan prints the commit and the tags a release makes.
func writePlan(w io.Writer, ws *Workspace, res *Result, version string) {
	if len(res.Rewritten) == 0 {
		say(w, "no go.mod needs a change: every sibling requirement is at %s already\n", version)
	} else {
		say(w, "release commit: sibling requirements set to %s in\n", version)
		for _, m := range res.Rewritten {
			siblings := make([]string, len(m.Requires))
			for i, r := range m.Requires {
				siblings[i] = ws.Module(r).Dir
			}
			say(w, "  %-20s requires %s\n", path.Join(m.Dir, "go.mod"), strings.Join(siblings, ", "))
		}
	}
	say(w, "tags, in dependency order:\n")
	for i, m := range res.Order {
		say(w, "  %-24s %s\n", res.Tags[i], m.Path)
	}
}

// apply writes the rewritten go.mod files, commits them and makes the tags. On a failure it
// undoes what it did: the tree was clean before, so going back to its commit loses nothing.
func apply(r repo, w *Workspace, res *Result, rewrites map[*Module][]byte, version string) (commit string, err error) {
	start, err := r.git("rev-parse", "HEAD")
	if err != nil {
		return "", err
	}
	var made []string
	defer func() {
		if err == nil {
			return
		}
		for _, tag := range made {
			_, _ = r.git("tag", "-d", tag) // best effort: the error below says what failed
		}
		if _, resetErr := r.git("reset", "-q", "--hard", start); resetErr != nil {
			err = fmt.Errorf("%w; undoing it failed too: %w", err, resetErr)
		}
	}()
	if len(res.Rewritten) > 0 {
		files := make([]string, 0, len(res.Rewritten))
		for _, m := range res.Rewritten {
			name := filepath.Join(w.Abs(m), "go.mod")
			if err := os.WriteFile(name, rewrites[m], 0o644); err != nil {
				return "", err
			}
			files = append(files, path.Join(m.Dir, "go.mod"))
		}
		if _, err := r.git(append([]string{"add", "--"}, files...)...); err != nil {
			return "", err
		}
		msg := fmt.Sprintf("release %s: modules require their siblings at %s", version, version)
		if _, err := r.git("commit", "-q", "-m", msg); err != nil {
			return "", err
		}
		if commit, err = r.git("rev-parse", "HEAD"); err != nil {
			return "", err
		}
	}
	for i, m := range res.Order {
		tag := res.Tags[i]
		if _, err := r.git("tag", "-a", "-m", m.Path+" "+version, tag); err != nil {
			return "", err
		}
		made = append(made, tag)
	}
	return commit, nil
}

// say writes a line of progress, report or plan for the person running the release. Failing
// to print is no reason to stop a release half way, so a write error is dropped.
func say(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}

func shortHash(r repo) string {
	h, err := r.git("rev-parse", "--short", "HEAD")
	if err != nil {
		return "HEAD"
	}
	return h
}

func platformList(platforms []Platform) string {
	names := make([]string, len(platforms))
	for i, p := range platforms {
		names[i] = p.String()
	}
	return strings.Join(names, ", ")
}
