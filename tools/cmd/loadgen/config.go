package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// config is the parsed command line.
type config struct {
	network  string
	address  string
	conns    int
	size     int
	inflight int
	duration time.Duration
	warmup   time.Duration
	frame    frameKind
	json     bool
	idle     int
	hold     time.Duration
	// tls is the client configuration of every connection; nil means plaintext.
	tls *tls.Config
	// handshakes runs the handshake load instead of the echo load.
	handshakes bool
	// churn runs the connection-churn load instead of the echo load.
	churn bool
	// The UDP load (network udp, udp4 or udp6): how long a datagram may go unanswered
	// before it counts as lost, how many datagrams one GSO send carries (0 or 1: no GSO),
	// and whether replies are received with GRO.
	lossTimeout time.Duration
	gsoBatch    int
	gro         bool
}

// maxGSOSegments is the most datagrams one UDP_SEGMENT send may carry: the kernel's
// UDP_MAX_SEGMENTS, 64 until Linux 6.12 raised it.
const maxGSOSegments = 64

// isUDP reports whether the run is the datagram load.
func (cfg config) isUDP() bool { return strings.HasPrefix(cfg.network, "udp") }

// parseConfig reads the command line. Every error it returns has already been explained on
// stderr, by the flag package or here.
func parseConfig(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "tcp://127.0.0.1:9000", "server address: host:port, tcp://host:port, unix:///path, "+
		"or udp://host:port for the datagram load")
	conns := fs.Int("conns", 100, "connections (UDP: sockets), each driven by its own goroutine")
	size := fs.Int("size", 64, "payload bytes per message (UDP: per datagram, 16 to 65507)")
	inflight := fs.Int("inflight", 1, "messages written back-to-back per connection before reading their echoes; "+
		"a batch must fit in the socket buffers (UDP: datagrams kept in flight per socket)")
	duration := fs.Duration("duration", 5*time.Second, "measured window")
	warmup := fs.Duration("warmup", time.Second, "unmeasured run before the window")
	frame := fs.String("frame", "none", "message framing: none, length (4-byte big-endian length prefix) or line (ends with \\n)")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	idle := fs.Int("idle", 0, "open this many connections that send nothing, instead of running the echo load")
	hold := fs.Duration("hold", 0, "with -idle: how long to hold the connections; 0 holds them until SIGINT or SIGTERM")
	useTLS := fs.Bool("tls", false, "speak TLS on every connection (crypto/tls), verifying the server's certificate against the system roots")
	insecure := fs.Bool("tls-insecure", false, "speak TLS without verifying the server's certificate (implies -tls), for throwaway benchmark certificates")
	handshakes := fs.Bool("handshakes", false, "measure TLS handshakes instead of echoes: each of -conns goroutines connects, "+
		"completes a full handshake and closes, again and again (needs -tls or -tls-insecure)")
	churn := fs.Bool("churn", false, "measure connection churn instead of echoes: each of -conns goroutines connects, "+
		"echoes one message of -size bytes and closes, again and again")
	lossTimeout := fs.Duration("loss-timeout", 200*time.Millisecond, "UDP: a datagram not answered within this "+
		"counts as lost, and its place in the window is refilled")
	gsoBatch := fs.Int("gso", 0, "UDP, Linux: send up to this many datagrams in one GSO send (UDP_SEGMENT); 0 sends each on its own")
	gro := fs.Bool("gro", false, "UDP, Linux: receive with UDP_GRO, splitting coalesced replies by their segment size")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}

	cfg, err := buildConfig(fs.Args(), *addr, *frame)
	if err == nil {
		cfg.conns, cfg.size, cfg.inflight = *conns, *size, *inflight
		cfg.duration, cfg.warmup = *duration, *warmup
		cfg.json, cfg.idle, cfg.hold = *asJSON, *idle, *hold
		cfg.handshakes, cfg.churn = *handshakes, *churn
		cfg.lossTimeout, cfg.gsoBatch, cfg.gro = *lossTimeout, *gsoBatch, *gro
		if *useTLS || *insecure {
			cfg.tls = newClientTLSConfig(cfg.address, *insecure)
		}
		err = cfg.validate()
	}
	if err != nil {
		complain(stderr, err)
		return config{}, err
	}
	return cfg, nil
}

// buildConfig checks the values that need parsing beyond what the flag package does.
func buildConfig(extraArgs []string, addr, frame string) (config, error) {
	if len(extraArgs) > 0 {
		return config{}, fmt.Errorf("%w: unexpected arguments %q", ErrBadFlag, extraArgs)
	}
	network, address, err := splitAddress(addr)
	if err != nil {
		return config{}, err
	}
	kind, err := parseFrameKind(frame)
	if err != nil {
		return config{}, err
	}
	return config{network: network, address: address, frame: kind}, nil
}

func (cfg config) validate() error {
	checks := []struct {
		name string
		ok   bool
	}{
		{name: "-conns must be at least 1", ok: cfg.conns >= 1},
		{name: "-size must be at least 1", ok: cfg.size >= 1},
		{name: "-size must fit the 4-byte length prefix", ok: int64(cfg.size) <= maxLengthPayload},
		{name: "-inflight must be at least 1", ok: cfg.inflight >= 1},
		{name: "-duration must be positive", ok: cfg.duration > 0},
		{name: "-warmup must not be negative", ok: cfg.warmup >= 0},
		{name: "-idle must not be negative", ok: cfg.idle >= 0},
		{name: "-hold must not be negative", ok: cfg.hold >= 0},
		{name: "-handshakes needs -tls or -tls-insecure", ok: !cfg.handshakes || cfg.tls != nil},
		{name: "-handshakes and -idle exclude each other", ok: !cfg.handshakes || cfg.idle == 0},
		{name: "-churn excludes -idle, -handshakes and TLS", ok: !cfg.churn || (cfg.idle == 0 && !cfg.handshakes && cfg.tls == nil)},
		{name: "-churn and -idle need a stream address, not udp://", ok: !cfg.isUDP() || (!cfg.churn && cfg.idle == 0)},
		{name: "UDP takes neither TLS nor -handshakes", ok: !cfg.isUDP() || (cfg.tls == nil && !cfg.handshakes)},
		{name: "UDP sends bare datagrams: -frame none", ok: !cfg.isUDP() || cfg.frame == frameNone},
		{name: fmt.Sprintf("UDP -size must be %d to %d", udpHeaderBytes, maxUDPPayload),
			ok: !cfg.isUDP() || (cfg.size >= udpHeaderBytes && cfg.size <= maxUDPPayload)},
		{name: "-loss-timeout must be positive", ok: cfg.lossTimeout > 0 || !cfg.isUDP()},
		{name: "-gso and -gro need a udp:// address", ok: cfg.isUDP() || (cfg.gsoBatch == 0 && !cfg.gro)},
		{name: "-gso and -gro need Linux", ok: udpOffloadSupported || (cfg.gsoBatch <= 1 && !cfg.gro)},
		{name: fmt.Sprintf("-gso must be 0 to %d", maxGSOSegments), ok: cfg.gsoBatch >= 0 && cfg.gsoBatch <= maxGSOSegments},
		{name: fmt.Sprintf("a GSO batch (-gso × -size) must fit %d bytes", maxUDPPayload),
			ok: cfg.gsoBatch <= 1 || cfg.gsoBatch*cfg.size <= maxUDPPayload},
	}
	for _, c := range checks {
		if !c.ok {
			return fmt.Errorf("%w: %s", ErrBadFlag, c.name)
		}
	}
	return nil
}
