package server

import (
	"crypto/tls"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/gnetio/gnet/codec"
)

// everyFieldSet is an Options with every exported field away from its zero value and its
// default, so that a field WithOptions forgets shows.
func everyFieldSet() Options {
	return Options{
		LoopNum: 3, Multicore: true, ReusePort: true, Ticker: true, TCPKeepAlive: 7 * time.Second,
		Codec: codec.NewLineBasedFrameCodec(), Isblock: true, Tlsconfig: &tls.Config{},
		TLSHandshakeTimeout: 3 * time.Second, TCPNoDelay: true, WriteTimeOut: 9, PidName: "/run/x.pid",
		Graceful: true, DrainTimeout: 4 * time.Second, RestartTimeout: 5 * time.Second,
		Logger: NewZapLogger(zap.NewNop()), LoadBalancing: SourceAddrHash, MaxOutbound: 1 << 20,
		WriteHighWatermark: 1 << 19, WriteLowWatermark: 1 << 18, IdleTimeout: time.Minute,
		ReadBufferSize: 4096, LingerTimeout: time.Second, HalfClose: true, PollHoldWait: time.Microsecond,
		ProxyProtocol: ProxyRequired, ProxyHeaderTimeout: 2 * time.Second,
		StallThreshold: time.Second, UDPGRO: true, UDPGSO: true,
	}
}

func TestWithOptionsSetsEveryNonZeroFieldAndLeavesZeroFieldsAlone(t *testing.T) {
	full := everyFieldSet()
	v := reflect.ValueOf(full)
	for i := range v.NumField() {
		if v.Type().Field(i).IsExported() {
			require.False(t, v.Field(i).IsZero(), "everyFieldSet leaves %s zero", v.Type().Field(i).Name)
		}
	}
	cases := []struct {
		name string
		opts []Option
		want Options
	}{
		{name: "a zero Options changes nothing", opts: []Option{WithOptions(Options{})}, want: defaultOptions()},
		{name: "every field set", opts: []Option{WithOptions(full)}, want: full},
		{
			name: "only the fields set",
			opts: []Option{WithOptions(Options{LoopNum: 2, ReadBufferSize: 1024})},
			want: func() Options { o := defaultOptions(); o.LoopNum, o.ReadBufferSize = 2, 1024; return o }(),
		},
		{
			name: "options before it stay unless it sets them",
			opts: []Option{WithReusePort(true), WithLoopNum(4), WithOptions(Options{LoopNum: 2})},
			want: func() Options { o := defaultOptions(); o.ReusePort, o.LoopNum = true, 2; return o }(),
		},
		{
			name: "the defaults that are on are turned off after it",
			opts: []Option{
				WithOptions(Options{LoopNum: 2}),
				WithBlock(false), WithTCPNoDelay(false), WithLingerTimeout(0),
				WithUDPGRO(false), WithUDPGSO(false),
			},
			want: Options{LoopNum: 2},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := defaultOptions()
			for _, opt := range tc.opts {
				opt(&got)
			}
			require.Equal(t, tc.want, got)
		})
	}
}
