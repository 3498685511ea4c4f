package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProxyFlagTurnsTheProxyProtocolOnOrRefusesAnUnknownMode(t *testing.T) {
	tests := []struct {
		mode        string
		wantOptions int
		wantErr     string
	}{
		{mode: "off", wantOptions: 0},
		{mode: "optional", wantOptions: 2},
		{mode: "required", wantOptions: 2},
		{mode: "on", wantErr: `unknown -proxy "on"`},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			opts, err := proxyOptions(tt.mode, time.Second)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Len(t, opts, tt.wantOptions)
		})
	}
}
