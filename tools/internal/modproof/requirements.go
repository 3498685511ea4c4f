package modproof

import (
	"fmt"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gnetio/gnet/tools/internal/release"
)

// sourcePackage is one folder of Go files: the imports of its package and of its tests.
type sourcePackage struct {
	module      *release.Module
	imports     []string // of the package's own files, on every platform
	testImports []string // of its _test.go files
}

// MissingRequirements lists what each module's go.mod lacks: a requirement of every sibling
// module that provides a package its packages or tests import, directly or through another
// sibling's packages. Build tags are ignored, as go mod tidy ignores them, so server must
// require poller-linux and poller-bsd both. Missing replace directives are release's
// CheckReplaced's to find.
func MissingRequirements(w *release.Workspace) ([]string, error) {
	packages := make(map[string]*sourcePackage) // import path -> package
	for _, m := range w.Modules {
		if err := scanModule(w.Abs(m), m, packages); err != nil {
			return nil, err
		}
	}
	var missing []string
	for _, m := range w.Modules {
		for _, need := range neededSiblings(m, packages) {
			if !slices.Contains(m.Requires, need.module) {
				missing = append(missing, fmt.Sprintf("%s/go.mod does not require %s, which provides %s (imported %s)",
					m.Dir, need.module, need.pkg, need.via))
			}
		}
	}
	return missing, nil
}

// need is a sibling module that a module's build reaches, and how.
type need struct {
	module string // module path
	pkg    string // the package reached first
	via    string // "by PKG"
}

// neededSiblings follows imports from the packages and tests of m into other modules'
// packages (their own files, not their tests) and returns each sibling module reached.
func neededSiblings(m *release.Module, packages map[string]*sourcePackage) []need {
	type step struct{ pkg, from string }
	var queue []step
	for importPath, p := range packages {
		if p.module != m {
			continue
		}
		for _, imp := range append(slices.Clone(p.imports), p.testImports...) {
			queue = append(queue, step{pkg: imp, from: importPath})
		}
	}
	slices.SortFunc(queue, func(a, b step) int { return strings.Compare(a.pkg+a.from, b.pkg+b.from) })
	seen := make(map[string]bool)
	found := make(map[string]bool)
	var needs []need
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		p, ok := packages[s.pkg]
		if !ok || seen[s.pkg] {
			continue // the standard library, a third party, or visited
		}
		seen[s.pkg] = true
		if p.module != m && !found[p.module.Path] {
			found[p.module.Path] = true
			needs = append(needs, need{module: p.module.Path, pkg: s.pkg, via: "by " + s.from})
		}
		for _, imp := range p.imports {
			queue = append(queue, step{pkg: imp, from: s.pkg})
		}
	}
	return needs
}

// scanModule records every package of the module in dir. It skips what the go command
// skips: testdata, folders starting with "." or "_", vendor, nested modules, and files
// marked //go:build ignore.
func scanModule(dir string, m *release.Module, packages map[string]*sourcePackage) error {
	fset := token.NewFileSet()
	return filepath.WalkDir(dir, func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if file == dir {
				return nil
			}
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(file, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		f, err := parser.ParseFile(fset, file, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		for _, group := range f.Comments {
			if group.Pos() > f.Package {
				break
			}
			for _, c := range group.List {
				if expr, err := constraint.Parse(c.Text); err == nil && expr.String() == "ignore" {
					return nil
				}
			}
		}
		rel, err := filepath.Rel(dir, filepath.Dir(file))
		if err != nil {
			return err
		}
		importPath := path.Join(m.Path, filepath.ToSlash(rel))
		p := packages[importPath]
		if p == nil {
			p = &sourcePackage{module: m}
			packages[importPath] = p
		}
		for _, spec := range f.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			if strings.HasSuffix(name, "_test.go") {
				p.testImports = append(p.testImports, imp)
			} else {
				p.imports = append(p.imports, imp)
			}
		}
		return nil
	})
}
