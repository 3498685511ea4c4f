package simtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// A scenario is everything one seed draws: the server's set-up, the connections with their
// scripts, and the fault rules (drawn always, installed only in a build with the gnetfaults
// tag). Shrinking keeps a subset of the connections, of each one's operations and of the
// rules; Keep names that subset.

type codecKind uint8

const (
	codecPassthrough codecKind = iota
	codecLine
	codecDelimiter
	codecFixed
	codecLengthField
	numCodecs
)

func (k codecKind) String() string {
	return [...]string{"passthrough", "line", "delimiter", "fixed", "length-field"}[k]
}

// Setup is the server a seed runs.
type Setup struct {
	Network   string // "tcp" or "unix"
	TLS       bool
	Codec     codecKind
	Loops     int
	ReusePort bool
	HalfClose bool // WithHalfClose: the client's end of stream goes to OnReadClosed
	Paced     bool // the handler paces its own reading (api.WritabilityHandler)
	Greeting  bool // OnOpened writes a record
	LowMarks  bool // small write watermarks, so that reading pauses often
}

func (s Setup) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s tls=%v codec=%v loops=%d reuseport=%v halfclose=%v paced=%v greeting=%v lowmarks=%v",
		s.Network, s.TLS, s.Codec, s.Loops, s.ReusePort, s.HalfClose, s.Paced, s.Greeting, s.LowMarks)
	return b.String()
}

// opKind is one step of a connection's script: the client's own, or the handler's, which the
// client asks for with a message that names the step.
type opKind uint8

const (
	// the client's
	opSend      opKind = iota // a message of Size bytes
	opPauseRead               // the client reads nothing for Millis
	opStopRead                // the client never reads again (followed by its close or reset)
	opHalfClose               // the client ends its side, then reads to the end
	opClose                   // the client closes
	opReset                   // the client resets (SO_LINGER 0; a close on unix sockets)
	// the handler's, when the message of its step reaches React
	opAsyncWrite     // AsyncWrite on the loop
	opWriteNoCodec   // WriteNoCodec on the loop
	opFlushLoop      // WriteAndFlush on the loop
	opFlushWriteLoop // FlushWrite on the loop
	opGoWrites       // Count writes (AsyncWrite or WriteNoCodec) from a goroutine
	opGoFlushes      // Count WriteAndFlush calls from a goroutine
	opWake           // Wake from a goroutine; React(nil) writes a record
	opCloseLoop      // React returns Close
	opCloseGo        // Close from a goroutine
	opCloseWrite     // CloseWrite on the loop
	opPauseResume    // PauseRead on the loop, ResumeRead from a goroutine Millis later
	opPanic          // React panics
	numOpKinds
)

var opNames = [...]string{"send", "pause-read", "stop-read", "half-close", "close", "reset",
	"async-write", "write-nocodec", "flush-loop", "flushwrite-loop", "go-writes", "go-flushes",
	"wake", "close-loop", "close-go", "close-write", "pause-resume", "panic"}

func (k opKind) String() string { return opNames[k] }

// handlerOp reports whether k is carried out by the handler.
func (k opKind) handlerOp() bool { return k >= opAsyncWrite }

// final reports whether the client does nothing after k.
func (k opKind) final() bool { return k == opHalfClose || k == opClose || k == opReset }

// Op is one step. Size is the message's (for handler steps, the carrier message's), Split,
// when not zero, where the client cuts its write of the message in two (a write of 1 B and
// the rest, say), RecSize the size of each record the handler writes, Count how many, Millis a
// pause.
type Op struct {
	Kind    opKind
	Size    int
	Split   int
	RecSize int
	Count   int
	Millis  int
}

func (o Op) String() string {
	switch o.Kind {
	case opSend:
		return fmt.Sprintf("send(%d)", o.Size)
	case opPauseRead, opPauseResume:
		return fmt.Sprintf("%v(%dms)", o.Kind, o.Millis)
	case opAsyncWrite, opWriteNoCodec, opFlushLoop, opFlushWriteLoop, opWake:
		return fmt.Sprintf("%v(%d)", o.Kind, o.RecSize)
	case opGoWrites, opGoFlushes:
		return fmt.Sprintf("%v(%dx%d)", o.Kind, o.Count, o.RecSize)
	}
	return o.Kind.String()
}

// ConnScript is one connection: its operations and, with the half-close option, what
// OnReadClosed does after its write (close, or half-close).
type ConnScript struct {
	Index         int // the connection's number in the seed, kept through shrinking
	Ops           []Op
	OpIndex       []int // each op's number in the seed's script
	ReadClosedEnd bool  // OnReadClosed half-closes instead of closing
}

// Scenario is one seed's run.
type Scenario struct {
	Seed   uint64
	Setup  Setup
	Conns  []ConnScript
	Faults []FaultRule
}

// logSize draws a size between lo and hi, uniform on a log scale.
func logSize(r *rand.Rand, lo, hi int) int {
	x := math.Log(float64(lo)) + r.Float64()*(math.Log(float64(hi))-math.Log(float64(lo)))
	return int(math.Exp(x))
}

// Generate draws the scenario of seed.
func Generate(seed uint64) Scenario {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := Scenario{Seed: seed}
	st := &s.Setup
	st.Network = "tcp"
	if r.IntN(5) < 2 {
		st.Network = "unix"
	}
	st.TLS = r.IntN(3) == 0
	st.Codec = codecKind(r.IntN(int(numCodecs)))
	st.Loops = 2 + r.IntN(3)
	st.ReusePort = st.Network == "tcp" && r.IntN(2) == 0
	st.HalfClose = r.IntN(3) == 0
	st.Paced = r.IntN(4) == 0
	st.Greeting = r.IntN(2) == 0
	st.LowMarks = r.IntN(3) == 0
	nconn := 2 + r.IntN(5)
	for i := range nconn {
		s.Conns = append(s.Conns, generateScript(r, i, st.Codec))
	}
	s.Faults = generateFaults(r)
	return s
}

// weights of the operations in a script, by kind.
var opWeights = [numOpKinds]int{
	opSend: 30, opPauseRead: 4, opStopRead: 1, opHalfClose: 2, opClose: 2, opReset: 1,
	opAsyncWrite: 14, opWriteNoCodec: 8, opFlushLoop: 6, opFlushWriteLoop: 4, opGoWrites: 8,
	opGoFlushes: 5, opWake: 4, opCloseLoop: 1, opCloseGo: 1, opCloseWrite: 1, opPauseResume: 4,
	opPanic: 1,
}

func drawKind(r *rand.Rand) opKind {
	total := 0
	for _, w := range opWeights {
		total += w
	}
	x := r.IntN(total)
	for k, w := range opWeights {
		if x < w {
			return opKind(k)
		}
		x -= w
	}
	return opSend
}

func generateScript(r *rand.Rand, index int, ck codecKind) ConnScript {
	cs := ConnScript{Index: index, ReadClosedEnd: r.IntN(2) == 0}
	n := 4 + r.IntN(21)
	for len(cs.Ops) < n {
		op := Op{Kind: drawKind(r)}
		switch {
		case op.Kind == opSend:
			op.Size = unitSize(logSize(r, 1, maxUnit), ck)
			if r.IntN(4) == 0 {
				op.Split = logSize(r, 1, op.Size)
			}
		case op.Kind.handlerOp():
			op.Size = unitSize(logSize(r, 1, 2048), ck)
			op.RecSize = unitSize(logSize(r, 1, maxUnit), ck)
		}
		switch op.Kind {
		case opPauseRead, opPauseResume:
			op.Millis = 1 + r.IntN(30)
		case opGoWrites:
			op.Count = 1 + r.IntN(20)
			op.RecSize = unitSize(logSize(r, 1, 8192), ck)
		case opGoFlushes:
			op.Count = 1 + r.IntN(6)
			op.RecSize = unitSize(logSize(r, 1, 16384), ck)
		}
		cs.OpIndex = append(cs.OpIndex, len(cs.Ops))
		cs.Ops = append(cs.Ops, op)
		if op.Kind == opStopRead {
			end := Op{Kind: opClose}
			if r.IntN(2) == 0 {
				end.Kind = opReset
			}
			cs.OpIndex = append(cs.OpIndex, len(cs.Ops))
			cs.Ops = append(cs.Ops, end)
		}
		if cs.Ops[len(cs.Ops)-1].Kind.final() {
			break
		}
	}
	return cs
}

// Keep names what a shrunk scenario keeps of its seed's: for each connection kept, the
// numbers of its operations kept ("c2:0,3,9"), and the fault rules kept ("f:1,4"), joined by
// ';'. The empty string keeps everything.
func (s Scenario) Keep() string {
	var parts []string
	for _, c := range s.Conns {
		parts = append(parts, "c"+strconv.Itoa(c.Index)+":"+joinInts(c.OpIndex))
	}
	idx := make([]int, len(s.Faults))
	for i, f := range s.Faults {
		idx[i] = f.Index
	}
	parts = append(parts, "f:"+joinInts(idx))
	return strings.Join(parts, ";")
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func splitInts(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(f)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// ApplyKeep returns the part of s that keep names (see Keep).
func (s Scenario) ApplyKeep(keep string) (Scenario, error) {
	if keep == "" {
		return s, nil
	}
	out := s
	out.Conns = nil
	out.Faults = nil
	for _, part := range strings.Split(keep, ";") {
		name, list, ok := strings.Cut(part, ":")
		if !ok {
			return s, fmt.Errorf("keep: %q is not name:list", part)
		}
		idx, err := splitInts(list)
		if err != nil {
			return s, fmt.Errorf("keep: %q: %w", part, err)
		}
		if name == "f" {
			for _, f := range s.Faults {
				if slices.Contains(idx, f.Index) {
					out.Faults = append(out.Faults, f)
				}
			}
			continue
		}
		ci, err := strconv.Atoi(strings.TrimPrefix(name, "c"))
		if err != nil || !strings.HasPrefix(name, "c") || ci < 0 || ci >= len(s.Conns) {
			return s, fmt.Errorf("keep: no connection %q", name)
		}
		src := s.Conns[ci]
		c := ConnScript{Index: src.Index, ReadClosedEnd: src.ReadClosedEnd}
		for j, op := range src.Ops {
			if slices.Contains(idx, src.OpIndex[j]) {
				c.Ops = append(c.Ops, op)
				c.OpIndex = append(c.OpIndex, src.OpIndex[j])
			}
		}
		out.Conns = append(out.Conns, c)
	}
	return out, nil
}

// Describe prints the scenario for a failure report.
func (s Scenario) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %#x: %v\n", s.Seed, s.Setup)
	for _, c := range s.Conns {
		ops := make([]string, len(c.Ops))
		for i, op := range c.Ops {
			ops[i] = fmt.Sprintf("%d:%v", c.OpIndex[i], op)
		}
		fmt.Fprintf(&b, "  conn %d (read-closed half-closes=%v): %s\n", c.Index, c.ReadClosedEnd, strings.Join(ops, " "))
	}
	for _, f := range s.Faults {
		fmt.Fprintf(&b, "  fault %d: %v\n", f.Index, f)
	}
	return b.String()
}
