package testutil

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPayloadWindowIsTheMatchingSliceOfTheWholePayload(t *testing.T) {
	whole := Payload(3*payloadPeriod+100, 42)
	cases := []struct {
		name   string
		offset int
		n      int
	}{
		{name: "from the start", offset: 0, n: 10},
		{name: "inside the first block", offset: 17, n: 1000},
		{name: "across a block boundary", offset: payloadPeriod - 5, n: 20},
		{name: "longer than a block", offset: 3, n: 2*payloadPeriod + 50},
		{name: "in a later block", offset: 2*payloadPeriod + 7, n: 90},
		{name: "empty", offset: 5, n: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, whole[tc.offset:tc.offset+tc.n], PayloadWindow(42, tc.offset, tc.n))
		})
	}
}

func TestPayloadDependsOnTheSeed(t *testing.T) {
	first, again := Payload(64, 1), Payload(64, 1)
	require.Equal(t, first, again)
	require.NotEqual(t, Payload(64, 1), Payload(64, 2))
}
