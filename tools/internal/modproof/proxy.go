package modproof

import (
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gnetio/gnet/tools/internal/release"
	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

// WriteProxy lays out dst as a module proxy that serves every module of w at version, in the
// form GOPROXY=file://dst reads (for each module: @v/list, and the version's .info, .mod
// and .zip). Each module is served as a release at version would publish it: go.mod as
// release.Rewrite makes it, every other file as it is in the work tree.
func WriteProxy(w *release.Workspace, version, dst string) error {
	for _, m := range w.Modules {
		if err := serveModule(w.Abs(m), m, version, dst); err != nil {
			return err
		}
	}
	return nil
}

func serveModule(dir string, m *release.Module, version, dst string) error {
	goMod, _, err := release.Rewrite(m, version)
	if err != nil {
		return err
	}
	escapedPath, err := module.EscapePath(m.Path)
	if err != nil {
		return err
	}
	escapedVersion, err := module.EscapeVersion(version)
	if err != nil {
		return err
	}
	versions := filepath.Join(dst, filepath.FromSlash(escapedPath), "@v")
	if err := os.MkdirAll(versions, 0o755); err != nil {
		return err
	}
	base := filepath.Join(versions, escapedVersion)
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{Version: version, Time: time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".info", info, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(base+".mod", goMod, 0o644); err != nil {
		return err
	}
	// The zip's go.mod is the .mod file itself, so the two cannot differ.
	files, err := moduleFiles(dir, base+".mod")
	if err != nil {
		return err
	}
	if err := writeZip(base+".zip", module.Version{Path: m.Path, Version: version}, files); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(versions, "list"), []byte(version+"\n"), 0o644)
}

func writeZip(name string, v module.Version, files []zip.File) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := zip.Create(f, v, files); err != nil {
		_ = f.Close() // the zip's error is the one to report
		return err
	}
	return f.Close()
}

// moduleFiles lists the files of the module in dir, with goMod standing in for its go.mod.
// Version control folders and nested modules are left out here; zip.Create leaves out what
// else a module zip may not hold.
func moduleFiles(dir, goMod string) ([]zip.File, error) {
	var files []zip.File
	err := filepath.WalkDir(dir, func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if file == dir {
				return nil
			}
			switch d.Name() {
			case ".git", ".hg", ".svn", ".bzr":
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(file, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, file)
		if err != nil {
			return err
		}
		slashPath := filepath.ToSlash(rel)
		if slashPath == "go.mod" {
			file = goMod
		}
		info, err := os.Lstat(file)
		if err != nil {
			return err
		}
		files = append(files, diskFile{file: file, slashPath: slashPath, info: info})
		return nil
	})
	return files, err
}

// diskFile is a file of the module as zip.Create reads it.
type diskFile struct {
	file      string
	slashPath string
	info      fs.FileInfo
}

func (f diskFile) Path() string                 { return f.slashPath }
func (f diskFile) Lstat() (fs.FileInfo, error)  { return f.info, nil }
func (f diskFile) Open() (io.ReadCloser, error) { return os.Open(f.file) }
