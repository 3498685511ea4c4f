// Package testscript holds the tests of tools/test.sh's own logic, the parts of it that decide
// whether a run passed. It has no code of its own.
package testscript
