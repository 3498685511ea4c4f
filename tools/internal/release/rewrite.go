package release

import (
	"path"

	"golang.org/x/mod/modfile"
)

// Rewrite returns m's go.mod with every requirement of a sibling module set to version, the
// rest of the file (other requirements, comments, // indirect marks, replace directives) as
// it was. It reports whether any requirement changed.
//
// This is the whole difference between the tree and a release of it: the replace directives
// stay, so that the module still builds from the checkout, and a program that requires the
// module ignores them and resolves each sibling at version.
func Rewrite(m *Module, version string) (goMod []byte, changed bool, err error) {
	f, err := modfile.Parse(path.Join(m.Dir, "go.mod"), m.GoMod, nil)
	if err != nil {
		return nil, false, err
	}
	siblings := make(map[string]bool, len(m.Requires))
	for _, r := range m.Requires {
		siblings[r] = true
	}
	for _, r := range f.Require {
		if siblings[r.Mod.Path] && r.Mod.Version != version {
			changed = true
		}
	}
	if !changed {
		return m.GoMod, false, nil
	}
	for _, r := range m.Requires {
		if err := f.AddRequire(r, version); err != nil {
			return nil, false, err
		}
	}
	f.Cleanup()
	goMod, err = f.Format()
	return goMod, true, err
}
