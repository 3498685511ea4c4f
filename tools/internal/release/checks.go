package release

import (
	"fmt"
	"os"
	"path"
	"strings"
)

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
