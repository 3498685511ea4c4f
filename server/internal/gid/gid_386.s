#include "textflag.h"

// func current() uintptr
TEXT ·current(SB), NOSPLIT, $0-4
	// The runtime keeps the current goroutine's descriptor in thread-local storage.
	MOVL (TLS), AX
	MOVL AX, ret+0(FP)
	RET
