package release

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/importer"
	"go/token"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/exp/apidiff"
)

// APIReport is how one module's API changed since its previous release.
type APIReport struct {
	Module *Module
	// Previous is the previous release's version, "" when the module has none.
	Previous string
	// Incompatible and Compatible are apidiff's messages, sorted, each once however many
	// platforms report it.
	Incompatible, Compatible []string
}

// compareAPI compares the exported API of module m in the folder old (a tree of its
// previous release) with the one in the folder new, on each platform.
func compareAPI(m *Module, oldDir, newDir string, platforms []Platform) (incompatible, compatible []string, err error) {
	for _, p := range platforms {
		before, err := loadAPI(oldDir, m.Path, p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s at its previous release, for %s: %w", m.Dir, p, err)
		}
		after, err := loadAPI(newDir, m.Path, p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s for %s: %w", m.Dir, p, err)
		}
		for _, c := range apidiff.ModuleChanges(before, after).Changes {
			if c.Compatible {
				compatible = append(compatible, c.Message)
			} else {
				incompatible = append(incompatible, c.Message)
			}
		}
	}
	slices.Sort(incompatible)
	slices.Sort(compatible)
	return slices.Compact(incompatible), slices.Compact(compatible), nil
}

// listedPackage is the part of go list -json that loadAPI reads.
type listedPackage struct {
	ImportPath string
	Name       string
	Export     string
	GoFiles    []string
	DepOnly    bool
	Module     *struct{ Path string }
	Error      *struct{ Err string }
}

// loadAPI type-checks the packages of the module in dir for platform p, as the compiler
// exported them, and returns those a user can import: every package of the module path
// that is neither a command nor internal. The go command builds the export data
// (go list -export), so the types are exactly the compiler's, build tags included.
func loadAPI(dir, modulePath string, p Platform) (*apidiff.Module, error) {
	out, err := goOutside(dir, p.env(), "list", "-e", "-export", "-deps",
		"-json=ImportPath,Name,Export,GoFiles,DepOnly,Module,Error", "./...")
	if err != nil {
		return nil, err
	}
	exports := make(map[string]string)
	var public []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var pkg listedPackage
		if err := dec.Decode(&pkg); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		if pkg.Export != "" {
			exports[pkg.ImportPath] = pkg.Export
		}
		if pkg.DepOnly || pkg.Module == nil || pkg.Module.Path != modulePath {
			continue
		}
		if pkg.Error != nil {
			// A package whose files all belong to other platforms has no API here.
			if strings.Contains(pkg.Error.Err, "build constraints exclude all Go files") {
				continue
			}
			return nil, fmt.Errorf("%s: %s", pkg.ImportPath, pkg.Error.Err)
		}
		// A folder of tests alone (package clienttest of the testsuite) exports nothing.
		if len(pkg.GoFiles) > 0 && pkg.Name != "main" && !isInternal(pkg.ImportPath) {
			public = append(public, pkg.ImportPath)
		}
	}
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("go list gave no export data for %s", path)
		}
		return os.Open(file)
	})
	api := &apidiff.Module{Path: modulePath}
	for _, path := range public {
		pkg, err := imp.Import(path)
		if err != nil {
			return nil, err
		}
		api.Packages = append(api.Packages, pkg)
	}
	return api, nil
}

// isInternal tells whether only the module itself may import the package.
func isInternal(importPath string) bool {
	return strings.HasSuffix(importPath, "/internal") || strings.Contains(importPath, "/internal/")
}

// writeAPIReports prints each module's changes, incompatible ones first.
func writeAPIReports(w io.Writer, version string, reports []APIReport) {
	say(w, "API changes since each module's previous release:\n")
	for _, r := range reports {
		switch {
		case r.Previous == "":
			say(w, "  %s: first release\n", r.Module.Dir)
		case len(r.Incompatible)+len(r.Compatible) == 0:
			say(w, "  %s %s → %s: no change\n", r.Module.Dir, r.Previous, version)
		default:
			say(w, "  %s %s → %s:\n", r.Module.Dir, r.Previous, version)
			for _, msg := range r.Incompatible {
				say(w, "    incompatible: %s\n", msg)
			}
			for _, msg := range r.Compatible {
				say(w, "    compatible:   %s\n", msg)
			}
		}
	}
}
