//go:build openbsd

package server

// keepAliveTimes reports that OpenBSD has no per-socket keep-alive times to read back.
func keepAliveTimes(int) (idle, interval int, ok bool, err error) { return 0, 0, false, nil }
