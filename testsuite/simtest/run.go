package simtest

import (
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// Running one scenario: a server of its set-up, its clients at once, then the model's checks.

const (
	closeBound    = 5 * time.Second  // each OnClosed within this of its client being done
	goroutineWait = 10 * time.Second // the handler's goroutines end within this of the stop
)

// Counts add up what runs did and checked.
type Counts struct {
	Seeds       int
	Failed      int
	Conns       int
	Ops         int
	Messages    int   // messages React saw, each checked
	Records     int   // records clients received, each checked
	Bytes       int64 // bytes of those messages and records
	FaultCalls  int64 // system calls that asked the seam
	Faults      map[string]int
	FaultsTotal int
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.Seeds += o.Seeds
	c.Failed += o.Failed
	c.Conns += o.Conns
	c.Ops += o.Ops
	c.Messages += o.Messages
	c.Records += o.Records
	c.Bytes += o.Bytes
	c.FaultCalls += o.FaultCalls
	c.FaultsTotal += o.FaultsTotal
	for k, v := range o.Faults {
		if c.Faults == nil {
			c.Faults = map[string]int{}
		}
		c.Faults[k] += v
	}
}

// Result is one run of a scenario.
type Result struct {
	Scenario   Scenario
	Violations []string
	Counts     Counts
}

// Failed reports whether the run broke an invariant.
func (r Result) Failed() bool { return len(r.Violations) > 0 }

var (
	tlsOnce   sync.Once
	tlsServer *tls.Config
	tlsClient *tls.Config
	tlsErr    error
)

func tlsConfigs() (*tls.Config, *tls.Config, error) {
	tlsOnce.Do(func() {
		ca, err := tlsutil.NewAuthority("simtest CA")
		if err != nil {
			tlsErr = err
			return
		}
		cert, err := ca.IssueServer(tlsutil.ServerName, "127.0.0.1")
		if err != nil {
			tlsErr = err
			return
		}
		tlsServer = &tls.Config{Certificates: []tls.Certificate{cert}}
		tlsClient = &tls.Config{RootCAs: ca.Pool, ServerName: tlsutil.ServerName}
	})
	return tlsServer, tlsClient, tlsErr
}

func newCodec(k codecKind) api.ICodec {
	switch k {
	case codecLine:
		return codec.NewLineBasedFrameCodec()
	case codecDelimiter:
		return codec.NewDelimiterBasedFrameCodec(delimiterByte)
	case codecFixed:
		c, err := codec.NewFixedLengthFrameCodec(fixedFrameLen)
		if err != nil {
			panic(err) // a constant that the codec accepts
		}
		return c
	case codecLengthField:
		c, err := codec.NewLengthFieldBasedFrameCodec(
			codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: lengthFieldW},
			codec.DecoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: lengthFieldW, InitialBytesToStrip: lengthFieldW, MaxFrameLength: maxUnit})
		if err != nil {
			panic(err)
		}
		return c
	}
	return codec.NewBuiltInFrameCodec()
}

// logger keeps what the engine logs at warning level and above, bounded.
type logger struct {
	mu    sync.Mutex
	lines []string
}

func (l *logger) Debugf(string, ...any) {}
func (l *logger) Infof(string, ...any)  {}
func (l *logger) Warnf(f string, a ...any) {
	l.keep("WARN "+f, a)
}
func (l *logger) Errorf(f string, a ...any) { l.keep("ERROR "+f, a) }
func (l *logger) keep(f string, a []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) < 200 {
		l.lines = append(l.lines, fmt.Sprintf(f, a...))
	}
}

// Run plays scenario s once and checks it against the model.
func Run(s Scenario) Result {
	res := Result{Scenario: s}
	fail := func(format string, args ...any) {
		res.Violations = append(res.Violations, fmt.Sprintf(format, args...))
	}
	h := newHandler(&s)
	log := new(logger)
	// A short linger timeout makes the sweep (every half of it) come often, so that a
	// half-closed connection whose client has gone is closed soon after.
	opts := []server.Option{
		server.WithLogger(log), server.WithLoopNum(s.Setup.Loops), server.WithReusePort(s.Setup.ReusePort),
		server.WithCodec(newCodec(s.Setup.Codec)), server.WithHalfClose(s.Setup.HalfClose),
		server.WithLingerTimeout(400 * time.Millisecond), server.WithWriteTimeOut(30), server.WithBlock(false),
	}
	if s.Setup.LowMarks {
		opts = append(opts, server.WithWriteWatermarks(1<<10, 8<<10))
	}
	var clientTLS *tls.Config
	if s.Setup.TLS {
		srvConf, cliConf, err := tlsConfigs()
		if err != nil {
			fail("TLS set-up: %v", err)
			return res
		}
		opts = append(opts, server.WithTls(srvConf))
		clientTLS = cliConf
	}
	addr := "tcp://127.0.0.1:0"
	if s.Setup.Network == "unix" {
		dir, err := os.MkdirTemp("", "simtest")
		if err != nil {
			fail("temp dir: %v", err)
			return res
		}
		defer func() { _ = os.RemoveAll(dir) }() // a temporary folder: nothing to do if it stays
		addr = "unix://" + filepath.Join(dir, "s")
	}
	var eh api.EventHandler = h
	if s.Setup.Paced {
		eh = pacedHandler{h}
	}
	if err := server.Serve(eh, addr, opts...); err != nil {
		fail("Serve: %v", err)
		return res
	}
	srv := <-h.srv
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			srv.Close()
		}
	}
	defer stop()
	// Faults spare the start-up (the runs do not model a server that cannot start): the loops
	// register their listeners on their own goroutines after Serve has returned, so the
	// faults wait until every loop has begun to wait for events.
	if !loopsWaiting(srv) {
		fail("the loops did not start waiting for events within %v", closeBound)
		return res
	}
	inj := installFaults(s.Faults, s.Seed)
	dial := srv.Addr.String()

	results := make([]clientResult, len(s.Conns))
	var wg sync.WaitGroup
	for i, script := range s.Conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runClient(&s, script, dial, clientTLS)
		}()
	}
	wg.Wait()
	lastDone := time.Time{}
	for _, r := range results {
		if r.done.After(lastDone) {
			lastDone = r.done
		}
	}
	// Every connection that opened closes within closeBound of its client being done.
	deadline := lastDone.Add(closeBound)
	for {
		opened, closed := h.counts()
		if opened == closed {
			break
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			break
		}
		select {
		case <-h.changed:
		case <-time.After(min(wait, 50*time.Millisecond)):
		}
	}
	res.Counts = inj.counts()
	inj.uninstall()
	stop()
	waited := make(chan struct{})
	go func() { h.wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(goroutineWait):
		fail("the handler's goroutines did not end within %v of the server's stop", goroutineWait)
	}
	check(&res, h, results, log, len(s.Faults) > 0 && inj.enabled())
	res.Counts.Seeds = 1
	res.Counts.Conns = len(s.Conns)
	if res.Failed() {
		res.Counts.Failed = 1
	}
	return res
}

// loopsWaiting waits, at most closeBound, until every loop of srv (and its acceptor) has
// waited for events once, which it does only once its listeners are registered.
func loopsWaiting(srv api.Server) bool {
	deadline := time.Now().Add(closeBound)
	for time.Now().Before(deadline) {
		st := srv.Stats()
		ready := st.Acceptor == nil || st.Acceptor.Waits > 0
		for _, l := range st.Loops {
			ready = ready && l.Waits > 0
		}
		if ready {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// Report prints a failed result with the command that replays it.
func (r Result) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", r.Scenario.Describe())
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "  violation: %s\n", v)
	}
	return b.String()
}

// ReplayCommand is the command that replays s.
func ReplayCommand(s Scenario) string {
	return fmt.Sprintf("GNET_SIM_SEED=%#x GNET_SIM_KEEP='%s' go test -tags gnetfaults -run TestReplay ./testsuite/simtest", s.Seed, s.Keep())
}
