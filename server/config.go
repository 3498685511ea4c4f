package server

import (
	"cmp"
	"fmt"
	"runtime"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
)

// config is Options resolved: defaults filled in, values checked, derived values computed once.
type config struct {
	Options
	loops               int
	writeTimeout        time.Duration
	tlsHandshakeTimeout time.Duration
	drainTimeout        time.Duration
	proxyHeaderTimeout  time.Duration
	// sweepInterval is how often loops check timeouts; idleSweeps is the idle timeout in
	// sweeps (0: none).
	sweepInterval  time.Duration
	idleSweeps     uint32
	restartTimeout time.Duration
	logger         api.Logger
	codec          api.ICodec
	// appendEncoder is codec's allocation-free encoder, when it has one.
	appendEncoder api.AppendEncoder
	// passthrough is set when the codec promises to hand bytes through unchanged
	// (api.PassthroughCodec), so the loop skips its Decode and Encode: it cuts each read into
	// frames of at most passthroughLimit bytes itself, without a copy.
	passthrough      bool
	passthroughLimit int
}

func newConfig(opts []Option) (*config, error) {
	cfg := &config{Options: defaultOptions()}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg.Options)
		}
	}
	o := &cfg.Options
	switch {
	case o.LoopNum < 0:
		return nil, fmt.Errorf("%w: LoopNum %d is negative", ErrInvalidOption, o.LoopNum)
	case o.WriteTimeOut < 0:
		return nil, fmt.Errorf("%w: WriteTimeOut %d is negative", ErrInvalidOption, o.WriteTimeOut)
	case o.MaxOutbound < 0, o.WriteHighWatermark < 0, o.WriteLowWatermark < 0, o.ReadBufferSize < 0:
		return nil, fmt.Errorf("%w: buffer sizes must not be negative", ErrInvalidOption)
	case o.DrainTimeout < 0, o.RestartTimeout < 0, o.IdleTimeout < 0, o.LingerTimeout < 0:
		return nil, fmt.Errorf("%w: DrainTimeout, RestartTimeout, IdleTimeout and LingerTimeout must not be negative", ErrInvalidOption)
	case o.StallThreshold < 0:
		return nil, fmt.Errorf("%w: StallThreshold %v is negative", ErrInvalidOption, o.StallThreshold)
	case o.TLSHandshakeTimeout < 0:
		return nil, fmt.Errorf("%w: TLSHandshakeTimeout %v is negative", ErrInvalidOption, o.TLSHandshakeTimeout)
	case o.TCPKeepAlive < 0:
		return nil, fmt.Errorf("%w: TCPKeepAlive %v is negative", ErrInvalidOption, o.TCPKeepAlive)
	case o.LoadBalancing < RoundRobin || o.LoadBalancing > SourceAddrHash:
		return nil, fmt.Errorf("%w: unknown LoadBalancing %d", ErrInvalidOption, o.LoadBalancing)
	case o.ProxyProtocol < ProxyOff || o.ProxyProtocol > ProxyRequired:
		return nil, fmt.Errorf("%w: unknown ProxyProtocol mode %d", ErrInvalidOption, o.ProxyProtocol)
	case o.ProxyHeaderTimeout < 0:
		return nil, fmt.Errorf("%w: ProxyHeaderTimeout %v is negative", ErrInvalidOption, o.ProxyHeaderTimeout)
	}
	cfg.loops = o.LoopNum
	if cfg.loops == 0 {
		cfg.loops = runtime.NumCPU()
		if o.singleLoop {
			cfg.loops = 1
		}
	}
	cfg.Multicore = cfg.loops > 1
	cfg.writeTimeout = DefaultWriteTimeout
	if o.WriteTimeOut > 0 {
		cfg.writeTimeout = time.Duration(o.WriteTimeOut) * time.Second
	}
	cfg.tlsHandshakeTimeout = DefaultTLSHandshakeTimeout
	if o.TLSHandshakeTimeout > 0 {
		cfg.tlsHandshakeTimeout = o.TLSHandshakeTimeout
	}
	cfg.drainTimeout = cmp.Or(o.DrainTimeout, DefaultDrainTimeout)
	cfg.sweepInterval = min(time.Second, cfg.writeTimeout/2)
	if o.LingerTimeout > 0 {
		cfg.sweepInterval = min(cfg.sweepInterval, max(o.LingerTimeout/2, 10*time.Millisecond))
	}
	cfg.proxyHeaderTimeout = cmp.Or(o.ProxyHeaderTimeout, DefaultProxyHeaderTimeout)
	if o.ProxyProtocol != ProxyOff {
		cfg.sweepInterval = min(cfg.sweepInterval, max(cfg.proxyHeaderTimeout/2, 10*time.Millisecond))
	}
	if o.IdleTimeout > 0 {
		// Last: idleSweeps counts sweeps of the final interval.
		cfg.sweepInterval = min(cfg.sweepInterval, max(o.IdleTimeout/4, 10*time.Millisecond))
		cfg.idleSweeps = uint32(max(1, o.IdleTimeout/cfg.sweepInterval))
	}
	cfg.restartTimeout = cmp.Or(o.RestartTimeout, DefaultRestartTimeout)
	if o.MaxOutbound == 0 {
		o.MaxOutbound = DefaultMaxOutbound
	}
	if o.WriteHighWatermark == 0 {
		o.WriteHighWatermark = min(DefaultWriteHighWatermark, o.MaxOutbound)
	}
	if o.WriteLowWatermark == 0 {
		o.WriteLowWatermark = min(DefaultWriteLowWatermark, o.WriteHighWatermark)
	}
	if o.WriteLowWatermark > o.WriteHighWatermark {
		return nil, fmt.Errorf("%w: write low watermark %d is above the high watermark %d",
			ErrInvalidOption, o.WriteLowWatermark, o.WriteHighWatermark)
	}
	if o.ReadBufferSize == 0 {
		o.ReadBufferSize = DefaultReadBufferSize
	}
	cfg.logger = o.Logger
	if cfg.logger == nil {
		cfg.logger = newDefaultLogger()
	}
	cfg.codec = o.Codec
	if cfg.codec == nil {
		cfg.codec = new(codec.BuiltInFrameCodec)
	}
	if pc, ok := cfg.codec.(api.PassthroughCodec); ok {
		cfg.passthrough, cfg.passthroughLimit = true, pc.PassthroughLimit()
		if cfg.passthroughLimit < 1 {
			return nil, fmt.Errorf("%w: the codec's PassthroughLimit %d is below 1", ErrInvalidOption, cfg.passthroughLimit)
		}
	}
	cfg.appendEncoder, _ = cfg.codec.(api.AppendEncoder)
	return cfg, nil
}
