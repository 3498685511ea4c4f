package release

import (
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"

	"golang.org/x/mod/semver"
)

// checkRelease runs every check that needs no API comparison, cheapest first, and returns
// the modules in dependency order and the repository's tags.
func checkRelease(w *Workspace, r repo, version string, platforms []Platform, out io.Writer) (order []*Module, tags []string, err error) {
	if err := CheckVersion(w, version); err != nil {
		return nil, nil, err
	}
	if order, err = w.Order(); err != nil {
		return nil, nil, err
	}
	if err := checkClean(r); err != nil {
		return nil, nil, err
	}
	if tags, err = r.tags(); err != nil {
		return nil, nil, err
	}
	if err := checkTags(order, tags, version); err != nil {
		return nil, nil, err
	}
	if err := CheckReplaced(w); err != nil {
		return nil, nil, err
	}
	say(out, "checking that every module is tidy: GOWORK=off go mod tidy -diff\n")
	if err := checkTidy(w); err != nil {
		return nil, nil, err
	}
	say(out, "checking that every module builds on its own: GOWORK=off go build ./... for %s\n", platformList(platforms))
	if err := checkBuild(w, platforms); err != nil {
		return nil, nil, err
	}
	return order, tags, nil
}

// checkClean refuses a work tree with changes: the release commit would miss them, and the
// checks would have judged files that the tags do not hold.
func checkClean(r repo) error {
	dirty, err := r.dirtyFiles()
	if err != nil {
		return err
	}
	if len(dirty) == 0 {
		return nil
	}
	const shown = 10
	more := ""
	if len(dirty) > shown {
		more = fmt.Sprintf("\n  ... and %d more", len(dirty)-shown)
		dirty = dirty[:shown]
	}
	return fmt.Errorf("%w: commit or stash these first (git status):\n  %s%s", ErrDirtyTree, strings.Join(dirty, "\n  "), more)
}

// checkTags refuses a version that a module has already released, or released a newer one.
func checkTags(order []*Module, tags []string, version string) error {
	var exist, newer []string
	for _, m := range order {
		tag := m.Tag(version)
		if slices.Contains(tags, tag) {
			exist = append(exist, tag)
		} else if latest := m.latestRelease(tags); latest != "" && semver.Compare(latest, version) > 0 {
			newer = append(newer, m.Tag(latest))
		}
	}
	if len(exist) > 0 {
		return fmt.Errorf("%w: %s (a released version never changes; pick the next one)", ErrTagExists, strings.Join(exist, ", "))
	}
	if len(newer) > 0 {
		return fmt.Errorf("%w: %s is below %s", ErrNotNewer, version, strings.Join(newer, ", "))
	}
	return nil
}

// CheckReplaced refuses a sibling requirement that no replace directive maps, for every
// version, to the sibling's own folder: outside the workspace the go command would fetch
// such a sibling from the module proxy (at a version the release has not published yet)
// instead of building it from this tree.
func CheckReplaced(w *Workspace) error {
	var faults []string
	for _, m := range w.Modules {
		for _, r := range m.Requires {
			want := w.Module(r).Dir
			got, ok := m.Replaced[r]
			switch {
			case !ok:
				faults = append(faults, fmt.Sprintf("%s requires %s with no replace directive (add: replace %s => %s)",
					m.Dir, r, r, relativeFolder(m.Dir, want)))
			case got != want:
				faults = append(faults, fmt.Sprintf("%s replaces %s by %s, not by its folder %s", m.Dir, r, got, want))
			}
		}
	}
	if len(faults) > 0 {
		return fmt.Errorf("%w:\n  %s", ErrNotReplaced, strings.Join(faults, "\n  "))
	}
	return nil
}

// relativeFolder is the folder to, seen from the folder from, as go.mod writes it.
func relativeFolder(from, to string) string {
	up := ""
	for dir := from; dir != "."; dir = path.Dir(dir) {
		up += "../"
	}
	rel := path.Join(up, to)
	if !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	return rel
}

// checkTidy refuses a module that GOWORK=off go mod tidy would change: its requirements
// would not be what its packages and tests import, or go.sum would lack a checksum.
func checkTidy(w *Workspace) error {
	var faults []string
	for _, m := range w.Modules {
		if _, err := goOutside(w.Abs(m), nil, "mod", "tidy", "-diff"); err != nil {
			faults = append(faults, fmt.Sprintf("%s (run: cd %s && GOWORK=off go mod tidy)\n%s", m.Dir, m.Dir, indent(err.Error())))
		}
	}
	if len(faults) > 0 {
		return fmt.Errorf("%w: %s", ErrNotTidy, strings.Join(faults, "\n"))
	}
	return nil
}

// checkBuild refuses a module whose packages do not build with GOWORK=off for one of the
// platforms: with their siblings taken from their folders, as a clean clone builds them.
func checkBuild(w *Workspace, platforms []Platform) error {
	var faults []string
	for _, m := range w.Modules {
		for _, p := range platforms {
			// -o os.DevNull: build every package and keep nothing, where go build would
			// leave the executable of a module's only command in the module's folder.
			if _, err := goOutside(w.Abs(m), p.env(), "build", "-o", os.DevNull, "./..."); err != nil {
				faults = append(faults, fmt.Sprintf("%s for %s:\n%s", m.Dir, p, indent(err.Error())))
			}
		}
	}
	if len(faults) > 0 {
		return fmt.Errorf("%w: %s", ErrBuild, strings.Join(faults, "\n"))
	}
	return nil
}

// indent sets a block of text off by four spaces, for nesting the go command's output.
func indent(text string) string {
	return "    " + strings.ReplaceAll(strings.TrimSpace(text), "\n", "\n    ")
}

// checkCompatible refuses incompatible changes where semantic versioning forbids them:
// within a major version from v1 on. Below v1 any release may break the API; the report
// above shows where it does.
func checkCompatible(reports []APIReport, version string) error {
	var broken []string
	for _, r := range reports {
		if r.Previous == "" || len(r.Incompatible) == 0 {
			continue
		}
		if major := semver.Major(version); major != "v0" && major == semver.Major(r.Previous) {
			broken = append(broken, fmt.Sprintf("%s (%s → %s)", r.Module.Dir, r.Previous, version))
		}
	}
	if len(broken) > 0 {
		return fmt.Errorf("%w: %s; see the incompatible changes above", ErrIncompatible, strings.Join(broken, ", "))
	}
	return nil
}
