package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"time"
)

// config is what the command line sets.
type config struct {
	addr           string
	loops          int
	reusePort      bool
	quiet          bool
	cpuProfile     string
	metricsAddr    string
	backends       []string
	healthInterval time.Duration
	dialTimeout    time.Duration
}

// parseConfig reads the flags in args (without the program name); usage and flag errors are
// written to output.
func parseConfig(args []string, output io.Writer) (config, error) {
	var cfg config
	var backends string
	fs := flag.NewFlagSet("proxy", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&cfg.addr, "addr", "tcp://127.0.0.1:8000", "address to serve: tcp://, tcp4:// or tcp6://")
	fs.IntVar(&cfg.loops, "loops", runtime.NumCPU(), "number of event loops")
	fs.BoolVar(&cfg.reusePort, "reuseport", false, "give every event loop its own SO_REUSEPORT listener")
	fs.BoolVar(&cfg.quiet, "quiet", false, "log nothing but errors (no backend state changes)")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile to this file, from start until SIGINT or SIGTERM")
	fs.StringVar(&cfg.metricsAddr, "metrics-addr", "", "serve the statistics for Prometheus on http://ADDR/metrics, and profiles on /debug/pprof/ (host:port; port 0 picks one)")
	fs.StringVar(&backends, "backends", "", "comma-separated host:port backends, used round-robin (required)")
	fs.DurationVar(&cfg.healthInterval, "health-interval", time.Second, "how often each backend is dialed to check it")
	fs.DurationVar(&cfg.dialTimeout, "dial-timeout", 3*time.Second, "how long a dial to a backend (relay or check) may take")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	list, err := parseBackends(backends)
	if err != nil {
		return config{}, err
	}
	cfg.backends = list
	if cfg.healthInterval <= 0 {
		return config{}, fmt.Errorf("%w: -health-interval %v", errInvalidDuration, cfg.healthInterval)
	}
	if cfg.dialTimeout <= 0 {
		return config{}, fmt.Errorf("%w: -dial-timeout %v", errInvalidDuration, cfg.dialTimeout)
	}
	return cfg, nil
}

// parseBackends splits a comma-separated list of host:port addresses, checking each.
func parseBackends(list string) ([]string, error) {
	var backends []string
	for _, entry := range strings.Split(list, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		host, port, err := net.SplitHostPort(entry)
		if err != nil {
			return nil, fmt.Errorf("%w %q: %w", errInvalidBackend, entry, err)
		}
		if host == "" || port == "" {
			return nil, fmt.Errorf("%w %q: needs both host and port", errInvalidBackend, entry)
		}
		backends = append(backends, entry)
	}
	if len(backends) == 0 {
		return nil, errNoBackends
	}
	return backends, nil
}
