package testscript

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzOneFunction returns the text of test.sh's fuzz_one function.
func fuzzOneFunction(t *testing.T) string {
	t.Helper()
	script, err := os.ReadFile(filepath.Join("..", "..", "test.sh"))
	require.NoError(t, err)
	fn := regexp.MustCompile(`(?s)\nfuzz_one\(\) \{\n.*?\n\}\n`).Find(script)
	require.NotNil(t, fn, "test.sh defines fuzz_one")
	return string(fn[1:])
}

// harness runs fuzz_one with a stand-in for go that answers each run as script says (one
// shell case body per run, the last repeated) and reports whether fuzz_one passed and how many
// runs it made.
const harness = `set -euo pipefail
fail() { echo "FAILED: $*"; exit 1; }
fuzztime=3s
runs=$WORK/runs
go() {
	echo run >>"$runs"
	n=$(wc -l <"$runs")
	answer "$n"
}
`

func TestFuzzOneRetriesOnlyABareDeadlineOfTheFuzzingEngineAndOnlyOnce(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	deadline := `echo "--- FAIL: FuzzX (3.05s)"; echo "    context deadline exceeded"; return 1`
	finding := `echo "    context deadline exceeded"; echo "Failing input written to testdata/fuzz/FuzzX/1f2e"; return 1`
	tests := []struct {
		name     string
		answers  []string
		wantPass bool
		wantRuns int
	}{
		{name: "a clean run", answers: []string{"echo ok"}, wantPass: true, wantRuns: 1},
		{name: "a deadline, then a clean run", answers: []string{deadline, "echo ok"}, wantPass: true, wantRuns: 2},
		{name: "a deadline twice", answers: []string{deadline, deadline}, wantPass: false, wantRuns: 2},
		{name: "a finding is never retried", answers: []string{finding, "echo ok"}, wantPass: false, wantRuns: 1},
		{name: "any other failure is never retried", answers: []string{`echo "--- FAIL: FuzzX"; return 1`, "echo ok"}, wantPass: false, wantRuns: 1},
	}
	fn := fuzzOneFunction(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			var answer strings.Builder
			answer.WriteString("answer() {\n\tcase $1 in\n")
			for i, body := range tt.answers {
				pattern := "*"
				if i < len(tt.answers)-1 {
					pattern = string(rune('1' + i))
				}
				answer.WriteString("\t" + pattern + ") " + body + " ;;\n")
			}
			answer.WriteString("\tesac\n}\n")
			script := harness + answer.String() + fn + "fuzz_one example.com/pkg FuzzX\necho PASSED\n"
			cmd := exec.Command("bash", "-c", script)
			cmd.Env = append(os.Environ(), "WORK="+work)
			out, _ := cmd.CombinedOutput() // the verdict is in the output; the status follows it
			runs, err := os.ReadFile(filepath.Join(work, "runs"))
			require.NoError(t, err, "fuzz_one ran go at least once:\n%s", out)
			assert.Equal(t, tt.wantRuns, strings.Count(string(runs), "run"), "%s", out)
			if tt.wantPass {
				assert.Contains(t, string(out), "PASSED")
			} else {
				assert.Contains(t, string(out), "FAILED: go test -run ^$ -fuzz ^FuzzX$ -fuzztime 3s example.com/pkg")
				assert.NotContains(t, string(out), "PASSED")
			}
		})
	}
}
