// Command echo-client drives an echo server with connections served by gnet's own client side
// (server.Client): the event loops that serve a server's connections here dial, write and read,
// so that a benchmark measures the client half of the engine too.
//
//	go run ./tools/cmd/echo-client -addr 127.0.0.1:9000 -conns 100 -inflight 16 -duration 5s
//
// Every connection writes -inflight messages of -size bytes, waits until their echo has come back
// byte-exact, and repeats. It prints one JSON object with the same fields as loadgen's -json
// report, so the benchmark scripts can read either; it exits 1 on any mismatch or lost
// connection.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// report has the fields of loadgen's JSON report that the benchmark scripts read.
type report struct {
	Network    string  `json:"network"`
	Address    string  `json:"address"`
	Conns      int     `json:"conns"`
	Size       int     `json:"size"`
	Inflight   int     `json:"inflight"`
	Seconds    float64 `json:"seconds"`
	Messages   uint64  `json:"messages"`
	RoundTrips uint64  `json:"round_trips"`
	MsgsPerSec float64 `json:"msgs_per_sec"`
	MBPerSec   float64 `json:"mb_per_sec"`
	P50Micros  float64 `json:"p50_us"`
	P99Micros  float64 `json:"p99_us"`
	// CPUSeconds is this process's user+system time over the measured window; the field
	// name matches loadgen's so that scripts can compare the two clients.
	CPUSeconds float64 `json:"loadgen_cpu_seconds"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`
}

// driver is the client's event handler: it paces every connection batch by batch.
type driver struct {
	api.EventServer
	batch     []byte // what every connection writes each time; never modified
	measuring atomic.Bool
	stopping  atomic.Bool
	messages  atomic.Uint64
	trips     atomic.Uint64
	lat       latencies
	errMu     sync.Mutex
	errs      int
	firstErr  string
}

// connState is one connection's progress through its current batch; only its loop touches it.
type connState struct {
	got    int // echoed bytes of the current batch received so far
	sentAt time.Time
}

func (d *driver) fail(err error) {
	d.errMu.Lock()
	defer d.errMu.Unlock()
	d.errs++
	if d.firstErr == "" {
		d.firstErr = err.Error()
	}
}

// failures returns the error count and the first error.
func (d *driver) failures() (int, string) {
	d.errMu.Lock()
	defer d.errMu.Unlock()
	return d.errs, d.firstErr
}

func (d *driver) send(c api.Conn, st *connState) api.Action {
	st.got = 0
	st.sentAt = time.Now()
	if err := c.AsyncWrite(d.batch); err != nil {
		d.fail(err)
		return api.Close
	}
	return api.None
}

func (d *driver) OnOpened(c api.Conn) ([]byte, api.Action) {
	st := &connState{}
	c.SetContext(st)
	return nil, d.send(c, st)
}

func (d *driver) React(frame []byte, c api.Conn) api.Action {
	st := c.Context().(*connState)
	if st.got+len(frame) > len(d.batch) || string(frame) != string(d.batch[st.got:st.got+len(frame)]) {
		d.fail(fmt.Errorf("echo mismatch at byte %d of a batch", st.got))
		return api.Close
	}
	st.got += len(frame)
	if st.got < len(d.batch) {
		return api.None
	}
	if d.measuring.Load() {
		d.messages.Add(uint64(len(d.batch) / flagSize))
		d.trips.Add(1)
		d.lat.record(time.Since(st.sentAt))
	}
	if d.stopping.Load() {
		return api.Close
	}
	return d.send(c, st)
}

func (d *driver) OnClosed(c api.Conn, err error) api.Action {
	if err != nil && !d.stopping.Load() {
		d.fail(err)
	}
	return api.None
}

var flagSize int

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "echo server address, host:port")
	network := flag.String("network", "tcp", "tcp, tcp4, tcp6 or unix")
	conns := flag.Int("conns", 100, "connections")
	size := flag.Int("size", 64, "bytes per message")
	inflight := flag.Int("inflight", 1, "messages written back to back before waiting for their echo")
	duration := flag.Duration("duration", 5*time.Second, "measured window")
	warmup := flag.Duration("warmup", time.Second, "unmeasured run before the window")
	loops := flag.Int("loops", runtime.NumCPU(), "client event loops")
	flag.Parse()
	if *conns <= 0 || *size <= 0 || *inflight <= 0 {
		fmt.Fprintln(os.Stderr, "echo-client: -conns, -size and -inflight must be positive")
		os.Exit(2)
	}
	flagSize = *size
	d := &driver{batch: makeBatch(*size, *inflight)}
	cm := server.Client(d, server.WithLoopNum(*loops))
	if err := cm.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "echo-client:", err)
		os.Exit(1)
	}
	for range *conns {
		if _, err := cm.Dial(*network, *addr); err != nil {
			fmt.Fprintln(os.Stderr, "echo-client:", err)
			cm.Stop()
			os.Exit(1)
		}
	}
	time.Sleep(*warmup)
	fmt.Fprintln(os.Stderr, "echo-client: warm-up done, measuring")
	d.measuring.Store(true)
	start, cpuStart := time.Now(), cpuTime()
	time.Sleep(*duration)
	d.measuring.Store(false)
	elapsed, cpu := time.Since(start).Seconds(), cpuTime()-cpuStart
	fmt.Fprintln(os.Stderr, "echo-client: measurement done")
	d.stopping.Store(true)
	cm.Stop()

	msgs := d.messages.Load()
	errs, firstErr := d.failures()
	r := report{
		Network: *network, Address: *addr, Conns: *conns, Size: *size, Inflight: *inflight,
		Seconds: elapsed, Messages: msgs, RoundTrips: d.trips.Load(),
		MsgsPerSec: float64(msgs) / elapsed, MBPerSec: float64(msgs) * float64(*size) / elapsed / 1e6,
		P50Micros: d.lat.quantile(0.50), P99Micros: d.lat.quantile(0.99), CPUSeconds: cpu,
		Errors: errs, FirstError: firstErr,
	}
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fmt.Fprintln(os.Stderr, "echo-client:", err)
		os.Exit(1)
	}
	if r.Errors > 0 {
		os.Exit(1)
	}
}

// cpuTime returns the process's user and system CPU time so far, in seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// makeBatch returns inflight messages of size bytes with a pattern that shifts per message, so
// that a reordered or corrupted echo shows.
func makeBatch(size, inflight int) []byte {
	b := make([]byte, size*inflight)
	for i := range b {
		b[i] = byte('a' + (i*7+i/size)%26)
	}
	return b
}
