package codec

import "github.com/gnetio/gnet/api"

// AppendEncoder is api.AppendEncoder, the contract the engine looks for: every codec in this
// package implements it. None of them uses the connection it is given, which may be nil.
type AppendEncoder = api.AppendEncoder
