//go:build linux

package pollertest

import "golang.org/x/sys/unix"

// duplicateOnto makes onto a duplicate of from, closing what onto was: the descriptor number is
// reused at once, as an accept reuses the number of a socket just closed. Linux on some
// architectures has no dup2, only dup3.
func duplicateOnto(from, onto int) error { return unix.Dup3(from, onto, unix.O_CLOEXEC) }
