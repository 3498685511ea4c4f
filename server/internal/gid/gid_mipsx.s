//go:build mips || mipsle

#include "textflag.h"

// func current() uintptr
TEXT ·current(SB), NOSPLIT, $0-4
	// The runtime keeps the current goroutine's descriptor in register g (R30).
	MOVW g, R1
	MOVW R1, ret+0(FP)
	RET
