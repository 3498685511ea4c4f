// Command echo is an echo server built on gnet: every frame it receives is written back.
//
//	go run ./tools/cmd/echo -addr tcp://127.0.0.1:9000
//	printf 'hello\n' | nc -q1 127.0.0.1 9000
//
// Flags choose the address (any scheme Serve accepts), the number of event loops, SO_REUSEPORT
// listeners and the frame codec; -udp-gro=false and -udp-gso=false turn the kernel's datagram
// coalescing off for udp addresses.
//
// With -metrics-addr it serves its statistics for Prometheus, and net/http/pprof's profiles,
// on that address (see tools/metrics):
//
//	go run ./tools/cmd/echo -metrics-addr 127.0.0.1:9100
//	curl -s http://127.0.0.1:9100/metrics | grep ^gnet_
//
// With -tls-cert and -tls-key every connection speaks TLS from its first byte:
//
//	go run ./tools/cmd/echo -addr tcp://127.0.0.1:9443 -tls-cert cert.pem -tls-key key.pem
//	openssl s_client -connect 127.0.0.1:9443 -quiet
//
// Adding -starttls makes it a line protocol that starts in plaintext instead: it greets with
// "220 ready", echoes lines, and on the line STARTTLS answers "220 go ahead" and switches the
// connection to TLS in place, after which it echoes lines encrypted:
//
//	go run ./tools/cmd/echo -tls-cert cert.pem -tls-key key.pem -starttls
//	openssl s_client -connect 127.0.0.1:9000 -starttls smtp  # or any client that sends STARTTLS
//
// Behind HAProxy with send-proxy or send-proxy-v2, -proxy required reads the PROXY protocol
// header every connection begins with (before TLS), so that the server sees the client's
// address; a connection without one is refused and logged. docs/fleet.md runs a fleet of them.
//
//	go run ./tools/cmd/echo -addr tcp://127.0.0.2:9000 -proxy required -graceful -pidfile /run/echo.pid
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/metrics"
)

type echoServer struct {
	api.EventServer
	quiet bool
	// graceful: a stop or restart asks every connection to close after its next reply.
	graceful bool
	closing  sync.Map // api.Conn → struct{}: connections to close after their next reply
	// metrics serves the statistics once the server runs; nil: not at all.
	metrics *metrics.Exporter
}

// SignalClose marks c to be closed once its next request has been answered, so that no
// request in flight is cut off by the stop.
func (es *echoServer) SignalClose(c api.Conn) {
	if es.graceful {
		es.closing.Store(c, struct{}{})
	}
}

func (es *echoServer) OnClosed(c api.Conn, err error) api.Action {
	if es.graceful {
		es.closing.Delete(c)
	}
	return api.None
}

func (es *echoServer) OnInitComplete(srv api.Server) api.Action {
	if !es.quiet {
		log.Printf("echo: serving %s on %s with %d event loop(s), reuseport=%v",
			srv.Addr.Network(), srv.Addr, srv.NumEventLoop, srv.ReUsePort)
	}
	if err := es.metrics.Start(srv.Stats); err != nil {
		log.Printf("echo: %v", err)
		return api.Shutdown
	}
	return api.None
}

func (es *echoServer) React(frame []byte, c api.Conn) api.Action {
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	if es.graceful {
		if _, closing := es.closing.LoadAndDelete(c); closing {
			return api.Close
		}
	}
	return api.None
}

// setGraceful turns on closing connections after their next reply once a stop begins.
func (es *echoServer) setGraceful(on bool) { es.graceful = on }

// exportMetrics makes the server serve its statistics through x once it runs.
func (es *echoServer) exportMetrics(x *metrics.Exporter) { es.metrics = x }

func newCodec(name string) (api.ICodec, error) {
	switch name {
	case "none", "":
		return nil, nil
	case "line":
		return codec.NewLineBasedFrameCodec(), nil
	case "length":
		return codec.NewLengthFieldBasedFrameCodec(
			codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4},
			codec.DecoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4, InitialBytesToStrip: 4},
		)
	default:
		return nil, fmt.Errorf("unknown codec %q (want none, line or length)", name)
	}
}

func main() {
	addr := flag.String("addr", "tcp://127.0.0.1:9000", "address to serve: tcp://, tcp4://, tcp6://, udp://, udp4://, udp6:// or unix://")
	loops := flag.Int("loops", runtime.NumCPU(), "number of event loops")
	reusePort := flag.Bool("reuseport", false, "give every event loop its own SO_REUSEPORT listener")
	codecName := flag.String("codec", "none", "frame codec: none (every read is a frame), line, or length (4-byte big-endian length prefix)")
	quiet := flag.Bool("quiet", false, "log nothing but errors")
	certFile := flag.String("tls-cert", "", "PEM certificate chain: serve TLS (with -tls-key)")
	keyFile := flag.String("tls-key", "", "PEM private key of -tls-cert")
	startTLS := flag.Bool("starttls", false, "greet in plaintext and switch to TLS on the line STARTTLS (needs -tls-cert, -tls-key; implies -codec line)")
	graceful := flag.Bool("graceful", false, "stop gracefully on SIGINT/SIGTERM and restart without dropping a connection on SIGUSR2 (Linux); connections close after their next reply")
	pidFile := flag.String("pidfile", "", "keep the serving process's pid in this file")
	drain := flag.Duration("drain", server.DefaultDrainTimeout, "with -graceful: how long a stop waits for connections to close")
	proxy := flag.String("proxy", "off", "PROXY protocol header before every connection, as a load balancer sends it (HAProxy's send-proxy, send-proxy-v2): off, optional or required")
	proxyTimeout := flag.Duration("proxy-timeout", server.DefaultProxyHeaderTimeout, "with -proxy: how long a connection may take to send its whole header")
	udpGRO := flag.Bool("udp-gro", true, "with a udp address: let the kernel coalesce received datagrams (UDP_GRO, Linux)")
	udpGSO := flag.Bool("udp-gso", true, "with a udp address: send a turn's replies to one peer as one segmented send (UDP_SEGMENT, Linux)")
	metricsAddr := flag.String("metrics-addr", "", "serve the statistics for Prometheus on http://ADDR/metrics, and profiles on /debug/pprof/ (host:port; port 0 picks one)")
	flag.Parse()

	handler, opts, err := configure(*codecName, *certFile, *keyFile, *startTLS, *quiet)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(2)
	}
	proxyOpts, err := proxyOptions(*proxy, *proxyTimeout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(2)
	}
	opts = append(opts, proxyOpts...)
	opts = append(opts, server.WithLoopNum(*loops), server.WithReusePort(*reusePort),
		server.WithGraceful(*graceful), server.WithPidName(*pidFile), server.WithDrainTimeout(*drain),
		server.WithUDPGRO(*udpGRO), server.WithUDPGSO(*udpGSO))
	handler.setGraceful(*graceful)
	exporter := metrics.NewExporter(*metricsAddr, *quiet)
	handler.exportMetrics(exporter)
	serveErr := server.Serve(handler, *addr, opts...)
	if err := exporter.Close(); err != nil {
		log.Printf("echo: %v", err)
	}
	if serveErr != nil {
		log.Fatalf("echo: %v", serveErr)
	}
}

// gracefulHandler is an echo handler that can close connections after their next reply, and
// serve its statistics.
type gracefulHandler interface {
	api.EventHandler
	setGraceful(on bool)
	exportMetrics(x *metrics.Exporter)
}

// configure turns the codec and TLS flags into the handler and the options to serve with.
func configure(codecName, certFile, keyFile string, startTLS, quiet bool) (gracefulHandler, []server.Option, error) {
	tlsConfig, err := loadTLSConfig(certFile, keyFile)
	if err != nil {
		return nil, nil, err
	}
	if startTLS {
		if tlsConfig == nil {
			return nil, nil, errors.New("-starttls needs -tls-cert and -tls-key")
		}
		if codecName != "none" && codecName != "line" {
			return nil, nil, fmt.Errorf("-starttls speaks lines; it cannot use -codec %s", codecName)
		}
		handler := &startTLSServer{echoServer: echoServer{quiet: quiet}, config: tlsConfig}
		return handler, []server.Option{server.WithCodec(codec.NewLineBasedFrameCodec())}, nil
	}
	frameCodec, err := newCodec(codecName)
	if err != nil {
		return nil, nil, err
	}
	var opts []server.Option
	if frameCodec != nil {
		opts = append(opts, server.WithCodec(frameCodec))
	}
	if tlsConfig != nil {
		opts = append(opts, server.WithTls(tlsConfig))
	}
	return &echoServer{quiet: quiet}, opts, nil
}
