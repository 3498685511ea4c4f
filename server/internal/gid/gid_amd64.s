#include "textflag.h"

// func current() uintptr
TEXT ·current(SB), NOSPLIT, $0-8
	// The runtime keeps the current goroutine's descriptor in thread-local storage.
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET
