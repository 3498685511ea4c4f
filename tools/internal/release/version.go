package release

import (
	"fmt"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// CheckVersion tells whether version can name a release of every module of w: a canonical
// semantic version (v0.3.0, v1.0.0-rc.1; not v0.3, not v0.3.0+meta), whose major version the
// module paths allow (v0 and v1 for paths without a /vN suffix).
func CheckVersion(w *Workspace, version string) error {
	if !semver.IsValid(version) {
		return fmt.Errorf("%w: %q is not a semantic version such as v0.3.0", ErrInvalidVersion, version)
	}
	if semver.Build(version) != "" {
		return fmt.Errorf("%w: %q has build metadata, which the go command ignores in tags", ErrInvalidVersion, version)
	}
	if c := semver.Canonical(version); c != version {
		return fmt.Errorf("%w: %q is not canonical; write %s", ErrInvalidVersion, version, c)
	}
	for _, m := range w.Modules {
		if err := module.Check(m.Path, version); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidVersion, err)
		}
	}
	return nil
}

// Tag returns the name of m's tag for version: the module's folder, a slash and the version,
// which is where the go command looks for a module in a subfolder of its repository.
func (m *Module) Tag(version string) string {
	if m.Dir == "." {
		return version
	}
	return m.Dir + "/" + version
}

// latestRelease returns the highest version among tags that names a release of m, or "".
func (m *Module) latestRelease(tags []string) string {
	prefix := m.Tag("")
	latest := ""
	for _, tag := range tags {
		v, ok := strings.CutPrefix(tag, prefix)
		if !ok || !semver.IsValid(v) || semver.Build(v) != "" {
			continue
		}
		if latest == "" || semver.Compare(v, latest) > 0 {
			latest = v
		}
	}
	return latest
}
