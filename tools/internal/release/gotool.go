package release

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Platform is a GOOS/GOARCH pair that the modules must build for.
type Platform struct{ GOOS, GOARCH string }

// Host is the platform this program runs on.
func Host() Platform { return Platform{GOOS: runtime.GOOS, GOARCH: runtime.GOARCH} }

// ParsePlatform reads "linux/amd64".
func ParsePlatform(s string) (Platform, error) {
	goos, goarch, ok := strings.Cut(s, "/")
	if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "/") {
		return Platform{}, fmt.Errorf("platform %q is not GOOS/GOARCH", s)
	}
	return Platform{GOOS: goos, GOARCH: goarch}, nil
}

func (p Platform) String() string { return p.GOOS + "/" + p.GOARCH }

// env is what the go command needs to target p from this host. Another platform is built
// with cgo off: no C cross-compiler is needed, and no module here uses cgo.
func (p Platform) env() []string {
	env := []string{"GOOS=" + p.GOOS, "GOARCH=" + p.GOARCH}
	if p != Host() {
		env = append(env, "CGO_ENABLED=0")
	}
	return env
}

// goOutside runs the go command in dir outside any workspace (GOWORK=off), as a module's
// users and a clean clone see it, with extra environment on top of this process's. It
// returns standard output; a failure carries standard error.
func goOutside(dir string, extraEnv []string, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off"), extraEnv...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String() + "\n" + stdout.String())
		return stdout.Bytes(), fmt.Errorf("GOWORK=off %sgo %s: %w\n%s",
			envPrefix(extraEnv), strings.Join(args, " "), err, msg)
	}
	return stdout.Bytes(), nil
}

func envPrefix(env []string) string {
	if len(env) == 0 {
		return ""
	}
	return strings.Join(env, " ") + " "
}
