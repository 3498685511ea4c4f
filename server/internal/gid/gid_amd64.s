#include "textflag.h"

// func Current() uintptr
TEXT ·Current(SB), NOSPLIT, $0-8
	// The runtime keeps the current goroutine's descriptor in thread-local storage.
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET
