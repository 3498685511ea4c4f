//go:build mips64 || mips64le

#include "textflag.h"

// func current() uintptr
TEXT ·current(SB), NOSPLIT, $0-8
	// The runtime keeps the current goroutine's descriptor in register g (R30).
	MOVV g, R1
	MOVV R1, ret+0(FP)
	RET
