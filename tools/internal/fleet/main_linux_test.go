package fleet

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// echoPackage is the server every instance runs.
const echoPackage = "github.com/gnetio/gnet/tools/cmd/echo"

// echoBinary is the path of the echo server, built once by TestMain before any test runs.
var echoBinary string

func TestMain(m *testing.M) { os.Exit(runWithEchoBinary(m)) }

// runWithEchoBinary builds the echo server into a temporary folder, runs the tests and removes
// the folder. It returns the exit status for the test binary.
func runWithEchoBinary(m *testing.M) int {
	dir, err := os.MkdirTemp("", "fleet-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleet: making a folder for the echo server:", err)
		return 1
	}
	defer func() {
		// A leftover folder in the temporary directory harms nothing; the tests' result stands.
		_ = os.RemoveAll(dir)
	}()
	echoBinary = filepath.Join(dir, "echo")
	args := []string{"build", "-o", echoBinary}
	if raceEnabled {
		args = append(args, "-race")
	}
	// go test puts its own go command first in PATH, so this builds with the toolchain and
	// workspace under test.
	if out, err := exec.Command("go", append(args, echoPackage)...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "fleet: building %s: %v\n%s", echoPackage, err, out)
		return 1
	}
	return m.Run()
}
