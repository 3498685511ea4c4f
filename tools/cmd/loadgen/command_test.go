package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commandCase is one run of the whole command and what it must answer: the exit status, and
// text that stdout and stderr contain.
type commandCase struct {
	name       string
	args       []string
	wantStatus int
	wantStdout string
	wantStderr string
}

// checkCommandCases runs every case through run, as a subtest of its own.
func checkCommandCases(t *testing.T, cases []commandCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(t.Context(), tt.args, &stdout, &stderr)

			assert.Equal(t, tt.wantStatus, status, "stderr: %s", stderr.String())
			assert.Contains(t, stdout.String(), tt.wantStdout)
			assert.Contains(t, stderr.String(), tt.wantStderr)
		})
	}
}

// runForJSON runs the command with args, which must succeed, and decodes the one JSON
// object it prints into report.
func runForJSON(t *testing.T, args []string, report any) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	status := run(t.Context(), args, &stdout, &stderr)
	require.Equal(t, exitOK, status, "stderr: %s", stderr.String())

	decoder := json.NewDecoder(&stdout)
	require.NoError(t, decoder.Decode(report))
	assert.False(t, decoder.More(), "exactly one JSON object")
}
