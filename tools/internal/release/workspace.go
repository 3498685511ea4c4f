package release

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
)

// Module is one module of the repository, as its go.mod stood when the workspace was loaded.
type Module struct {
	// Dir is the module's folder relative to the repository root, slash-separated ("api",
	// "poller-linux"; "." for a module at the root). It prefixes the module's tags.
	Dir string
	// Path is the module path go.mod declares.
	Path string
	// GoMod is the content of go.mod.
	GoMod []byte
	// Requires lists, sorted, the module paths of the siblings go.mod requires, directly or
	// as // indirect.
	Requires []string
	// Replaced maps each sibling that go.mod replaces, for every version, by a folder to
	// that folder relative to the repository root, slash-separated.
	Replaced map[string]string
}

// Workspace is the repository's modules: the folders its go.work uses.
type Workspace struct {
	// Root is the repository root, where go.work is.
	Root string
	// Modules are in go.work's order.
	Modules []*Module
}

// LoadWorkspace reads root/go.work and the go.mod of every module it uses. Every module
// must lie inside root: its tags are named after its folder.
func LoadWorkspace(root string) (*Workspace, error) {
	workPath := filepath.Join(root, "go.work")
	data, err := os.ReadFile(workPath)
	if err != nil {
		return nil, err
	}
	work, err := modfile.ParseWork(workPath, data, nil)
	if err != nil {
		return nil, err
	}
	w := &Workspace{Root: root}
	byPath := make(map[string]*Module)
	for _, use := range work.Use {
		dir := path.Clean(filepath.ToSlash(use.Path))
		if path.IsAbs(dir) || dir == ".." || strings.HasPrefix(dir, "../") {
			return nil, fmt.Errorf("go.work uses %s, outside the repository: its tags could not name it", use.Path)
		}
		m, err := loadModule(root, dir)
		if err != nil {
			return nil, err
		}
		if other, ok := byPath[m.Path]; ok {
			return nil, fmt.Errorf("%s and %s both declare module %s", other.Dir, m.Dir, m.Path)
		}
		byPath[m.Path] = m
		w.Modules = append(w.Modules, m)
	}
	if len(w.Modules) == 0 {
		return nil, fmt.Errorf("%s uses no module", workPath)
	}
	for _, m := range w.Modules {
		if err := m.findSiblings(byPath); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func loadModule(root, dir string) (*Module, error) {
	modPath := filepath.Join(root, filepath.FromSlash(dir), "go.mod")
	data, err := os.ReadFile(modPath)
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(modPath, data, nil)
	if err != nil {
		return nil, err
	}
	if f.Module == nil {
		return nil, fmt.Errorf("%s declares no module path", modPath)
	}
	return &Module{Dir: dir, Path: f.Module.Mod.Path, GoMod: data}, nil
}

// findSiblings fills Requires and Replaced from go.mod, given every module by path.
func (m *Module) findSiblings(byPath map[string]*Module) error {
	f, err := modfile.Parse(path.Join(m.Dir, "go.mod"), m.GoMod, nil)
	if err != nil {
		return err
	}
	for _, r := range f.Require {
		if _, ok := byPath[r.Mod.Path]; ok && r.Mod.Path != m.Path {
			m.Requires = append(m.Requires, r.Mod.Path)
		}
	}
	slices.Sort(m.Requires)
	m.Requires = slices.Compact(m.Requires)
	m.Replaced = make(map[string]string)
	for _, r := range f.Replace {
		// A replacement for one version stops applying once the release rewrites that
		// version, and a replacement by another module is no folder of this tree.
		if _, ok := byPath[r.Old.Path]; !ok || r.Old.Version != "" || r.New.Version != "" {
			continue
		}
		m.Replaced[r.Old.Path] = path.Join(m.Dir, filepath.ToSlash(r.New.Path))
	}
	return nil
}

// Module returns the module with the given module path, or nil.
func (w *Workspace) Module(modulePath string) *Module {
	for _, m := range w.Modules {
		if m.Path == modulePath {
			return m
		}
	}
	return nil
}

// Abs returns the module's folder as a path of the file system.
func (w *Workspace) Abs(m *Module) string {
	return filepath.Join(w.Root, filepath.FromSlash(m.Dir))
}
