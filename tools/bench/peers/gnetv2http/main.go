// Command gnetv2http is the gnet v2 HTTP server the benchmark compares httpd against. It
// serves the same routes with the same parser and response writer (httpwire), so that the
// comparison measures the engines. It is written the way gnet v2 is fastest: OnTraffic peeks
// at everything buffered, answers every whole request into one buffer, writes it with one
// c.Write and discards what it parsed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/panjf2000/gnet/v2"

	"github.com/gnetio/gnet/tools/bench/peers/internal/peer"
	"github.com/gnetio/gnet/tools/internal/httpwire"
)

func main() {
	addr := flag.String("addr", "tcp://127.0.0.1:8081", "listen address, tcp://host:port")
	loops := flag.Int("loops", 1, "event loops; more than one turns on multicore mode")
	reusePort := flag.Bool("reuseport", false, "give every event loop its own SO_REUSEPORT listener")
	quiet := flag.Bool("quiet", false, "do not announce the address")
	flag.Parse()
	if *loops < 1 {
		fmt.Fprintln(os.Stderr, "gnetv2http: -loops must be at least 1")
		os.Exit(2)
	}
	parser, err := httpwire.NewParser(httpwire.DefaultLimits())
	if err != nil {
		log.Fatalf("gnetv2http: %v", err)
	}
	dates := httpwire.NewDateCache(time.Now())
	hs := &httpServer{
		addr:   *addr,
		quiet:  *quiet,
		parser: parser,
		dates:  dates,
		app:    httpwire.NewApp("gnet", dates),
	}
	err = gnet.Run(hs, *addr,
		gnet.WithMulticore(*loops > 1),
		gnet.WithNumEventLoop(*loops),
		gnet.WithReusePort(*reusePort),
		gnet.WithTicker(true),
		gnet.WithLogger(peer.QuietLogger{Name: "gnetv2http"}),
	)
	if err != nil {
		log.Fatalf("gnetv2http: %v", err)
	}
}

// httpServer answers httpwire.App's routes on gnet v2.
type httpServer struct {
	gnet.BuiltinEventEngine
	addr   string
	quiet  bool
	parser *httpwire.Parser
	dates  *httpwire.DateCache
	app    *httpwire.App
}

// connState is kept per connection and touched only on its event loop.
type connState struct {
	req          httpwire.Request
	continueSent bool
	out          []byte
}

// OnBoot runs once, when the engine listens.
func (hs *httpServer) OnBoot(gnet.Engine) gnet.Action {
	if !hs.quiet {
		fmt.Printf("gnetv2http listening on %s\n", hs.addr)
	}
	return gnet.None
}

// OnOpen gives the connection its state.
func (hs *httpServer) OnOpen(c gnet.Conn) ([]byte, gnet.Action) {
	c.SetContext(new(connState))
	return nil, gnet.None
}

// OnTraffic answers every whole request buffered on c, in order, with one write.
func (hs *httpServer) OnTraffic(c gnet.Conn) gnet.Action {
	// hot path: no allocation
	st := c.Context().(*connState)
	// Peek(-1) fails only when asked for more bytes than are buffered, which -1 never does.
	buf, _ := c.Peek(-1)
	st.out = st.out[:0]
	consumed, action := hs.answer(st, buf)
	if len(st.out) > 0 {
		if _, err := c.Write(st.out); err != nil {
			return gnet.Close
		}
	}
	// Discard never fails for a count within what Peek returned.
	_, _ = c.Discard(consumed)
	return action
}

// answer appends the responses to the whole requests at the start of buf to st.out and
// returns how many bytes they took, and whether to close the connection after them.
func (hs *httpServer) answer(st *connState, buf []byte) (consumed int, action gnet.Action) {
	for consumed < len(buf) {
		n, err := hs.parser.Parse(buf[consumed:], &st.req)
		switch {
		case errors.Is(err, httpwire.ErrIncomplete):
			if st.req.ExpectContinue && !st.continueSent {
				st.continueSent = true
				st.out = append(st.out, httpwire.ContinueResponse...)
			}
			return consumed, gnet.None
		case err != nil:
			st.out = hs.app.AppendError(st.out, err)
			return len(buf), gnet.Close
		}
		consumed += n
		st.continueSent = false
		st.out = hs.app.AppendResponse(st.out, &st.req)
		if !st.req.KeepAlive {
			return len(buf), gnet.Close
		}
	}
	return consumed, gnet.None
}

// OnTick refreshes the Date value once per second.
func (hs *httpServer) OnTick() (time.Duration, gnet.Action) {
	hs.dates.Refresh(time.Now())
	return time.Second, gnet.None
}
