//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package pollertest

import "golang.org/x/sys/unix"

// duplicateOnto makes onto a duplicate of from, closing what onto was: the descriptor number is
// reused at once, as an accept reuses the number of a socket just closed.
func duplicateOnto(from, onto int) error { return unix.Dup2(from, onto) }
