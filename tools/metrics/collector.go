// Package metrics exports a gnet server's statistics (api.ServerStats) in the Prometheus
// exposition format: Collector is a prometheus.Collector over the server's Stats function, and
// Listen serves it, with the Go runtime's and the process's own metrics and net/http/pprof, on
// an address of its own.
//
// The example servers (tools/cmd/echo, httpd, redisd, proxy) use it behind their
// -metrics-addr flag. It depends on gnet's api module and client_golang only, so that a server
// of your own can copy the package as it is:
//
//	func (h *handler) OnInitComplete(srv api.Server) api.Action {
//		ep, err := metrics.Listen("127.0.0.1:9100", srv.Stats)
//		...
//	}
//
// Every series but gnet_event_loops carries a "loop" label: the loop's index, or "acceptor"
// for the loop that only accepts (a server with one listener and several loops). Sum over it
// for the server's figures. What each metric means, and what to watch, is in
// docs/production.md.
package metrics

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gnetio/gnet/api"
)

// namespace prefixes every metric name.
const namespace = "gnet"

// acceptorLabel is the loop label of the acceptor's series.
const acceptorLabel = "acceptor"

// kind says whether a metric only grows (a counter) or goes up and down (a gauge).
type kind uint8

const (
	counter kind = iota
	gauge
)

// loopMetric is one metric with a loop label, and how to read its value from a LoopStats.
type loopMetric struct {
	desc  *prometheus.Desc
	kind  kind
	value func(s *api.LoopStats) float64
}

// Collector is a prometheus.Collector that reads a server's statistics once per scrape. It
// is safe for concurrent use, as a Registry requires.
type Collector struct {
	stats  func() api.ServerStats
	loops  *prometheus.Desc
	closed *prometheus.Desc
	each   []loopMetric
}

var _ prometheus.Collector = (*Collector)(nil)

// NewCollector returns a Collector over stats, a server's (api.Server.Stats) or a client's
// (ClientManage.Stats).
func NewCollector(stats func() api.ServerStats) *Collector {
	loop := []string{"loop"}
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(namespace, "", name), help, labels, nil)
	}
	metric := func(name, help string, k kind, value func(s *api.LoopStats) float64) loopMetric {
		return loopMetric{desc: desc(name, help, loop...), kind: k, value: value}
	}
	return &Collector{
		stats:  stats,
		loops:  desc("event_loops", "Number of event loops serving connections."),
		closed: desc("connections_closed_total", "Connections closed, by cause.", "loop", "cause"),
		each: []loopMetric{
			metric("connections_open", "Connections open for the handler now: OnOpened has fired and OnClosed has not.", gauge,
				func(s *api.LoopStats) float64 { return float64(s.ConnsOpen) }),
			metric("connections_accepted_total", "Connections accepted from a listener.", counter,
				func(s *api.LoopStats) float64 { return float64(s.Accepted) }),
			metric("connections_dialed_total", "Outbound connections whose connect succeeded.", counter,
				func(s *api.LoopStats) float64 { return float64(s.Dialed) }),
			metric("bytes_received_total", "Bytes read from sockets (ciphertext under TLS).", counter,
				func(s *api.LoopStats) float64 { return float64(s.BytesIn) }),
			metric("bytes_sent_total", "Bytes written to sockets (ciphertext under TLS).", counter,
				func(s *api.LoopStats) float64 { return float64(s.BytesOut) }),
			metric("frames_received_total", "Frames and datagrams handed to React.", counter,
				func(s *api.LoopStats) float64 { return float64(s.FramesIn) }),
			metric("frames_sent_total", "Writes queued by the handler (AsyncWrite, WriteNoCodec, SendTo, greetings).", counter,
				func(s *api.LoopStats) float64 { return float64(s.FramesOut) }),
			metric("outbound_queued_bytes", "Output queued on connections and not yet written to their sockets.", gauge,
				func(s *api.LoopStats) float64 { return float64(s.OutboundBytes) }),
			metric("tls_handshakes_total", "TLS handshakes that completed.", counter,
				func(s *api.LoopStats) float64 { return float64(s.TLSHandshakes) }),
			metric("tls_handshake_failures_total", "TLS handshakes that failed or timed out.", counter,
				func(s *api.LoopStats) float64 { return float64(s.TLSHandshakeFailures) }),
			metric("accept_backoffs_total", "Pauses of accepting after running out of descriptors or memory.", counter,
				func(s *api.LoopStats) float64 { return float64(s.AcceptBackoffs) }),
			metric("loop_stalls_total", "Turns of the loop that held it past the stall threshold (watchdog on).", counter,
				func(s *api.LoopStats) float64 { return float64(s.Stalls) }),
			metric("loop_busy_seconds_total", "Time the loop spent handling events, tasks and callbacks.", counter,
				func(s *api.LoopStats) float64 { return s.Busy.Seconds() }),
			metric("loop_idle_seconds_total", "Time the loop spent waiting for events.", counter,
				func(s *api.LoopStats) float64 { return s.Idle.Seconds() }),
			metric("loop_turns_total", "Turns of the loop: a wait, its events, the queued tasks, the writes.", counter,
				func(s *api.LoopStats) float64 { return float64(s.Turns) }),
			metric("loop_wakeups_total", "Wake-ups other goroutines sent the loop to run their tasks.", counter,
				func(s *api.LoopStats) float64 { return float64(s.Wakeups) }),
			metric("loop_tasks_total", "Tasks the loop ran (writes and requests from other goroutines, housekeeping).", counter,
				func(s *api.LoopStats) float64 { return float64(s.Tasks) }),
		},
	}
}

// Describe sends the description of every metric the Collector exports.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.loops
	ch <- c.closed
	for _, m := range c.each {
		ch <- m.desc
	}
}

// Collect reads the statistics once and sends every series.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	st := c.stats()
	ch <- prometheus.MustNewConstMetric(c.loops, prometheus.GaugeValue, float64(len(st.Loops)))
	for i := range st.Loops {
		c.collectLoop(ch, &st.Loops[i], strconv.Itoa(st.Loops[i].Index))
	}
	if st.Acceptor != nil {
		c.collectLoop(ch, st.Acceptor, acceptorLabel)
	}
}

// collectLoop sends the series of one loop, labelled loop.
func (c *Collector) collectLoop(ch chan<- prometheus.Metric, s *api.LoopStats, loop string) {
	for _, m := range c.each {
		valueType := prometheus.CounterValue
		if m.kind == gauge {
			valueType = prometheus.GaugeValue
		}
		ch <- prometheus.MustNewConstMetric(m.desc, valueType, m.value(s), loop)
	}
	for cause := range api.NumCloseCauses {
		ch <- prometheus.MustNewConstMetric(c.closed, prometheus.CounterValue, float64(s.Closed[cause]), loop, cause.String())
	}
}
