// Package modproof proves from outside the workspace what the README's Modules section
// promises: that a program imports only the modules it needs, and that each module states
// in its go.mod every sibling it needs.
//
// Its test serves the work tree as a module proxy on disk (WriteProxy: the files of each
// module zipped by golang.org/x/mod/zip, with go.mod as the release tool rewrites it for a
// release at a test version), then builds programs in temporary modules with GOWORK=off
// against that proxy: one that imports buffer, one that imports codec, one that runs an
// echo server and talks to it over loopback TCP. Those builds resolve a missing requirement
// from the proxy without a word, so MissingRequirements checks the go.mod files first.
package modproof
