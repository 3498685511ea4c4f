package proxyproto

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// allInputs gathers every input of the parser's tables, accepted and refused, each followed
// by some payload.
func allInputs() map[string][]byte {
	const payload = "GET / HTTP/1.1\r\n"
	inputs := make(map[string][]byte)
	for _, tc := range v1Accepted {
		inputs["v1 "+tc.name] = []byte(tc.input + payload)
	}
	for _, tc := range v1Refused {
		inputs["v1 refused: "+tc.name] = []byte(tc.input + payload)
	}
	for _, tc := range v2Accepted {
		inputs["v2 "+tc.name] = append(bytes.Clone(tc.input), payload...)
	}
	for _, tc := range v2Refused {
		inputs["v2 refused: "+tc.name] = append(bytes.Clone(tc.input), payload...)
	}
	return inputs
}

func TestParseOfBytesArrivingOneByOneMatchesParseOfTheWhole(t *testing.T) {
	for name, input := range allInputs() {
		t.Run(name, func(t *testing.T) {
			checkIncrementalMatchesWhole(t, Parser{}, input)
		})
	}
}

func TestParseOfAnIncompleteHeaderAllocatesNothing(t *testing.T) {
	inputs := map[string]string{
		"v1 cut in the destination port":  "PROXY TCP6 2001:db8::1 2001:db8::2 1 6553",
		"v1 UNKNOWN cut before its CRLF":  "PROXY UNKNOWN " + strings.Repeat("x", 80),
		"v2 cut in the fixed part":        v2Signature + "\x21",
		"v2 cut in the TLVs":              string(crcSealedTCP4()[:40]),
		"v2 with only the 16 fixed bytes": string(rawV2Length(v2Proxy, 0x21, 36)),
	}
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			buf := []byte(input)
			allocs := testing.AllocsPerRun(100, func() {
				if _, _, err := Parse(buf); !errors.Is(err, ErrIncomplete) {
					t.Fatalf("err = %v, want ErrIncomplete", err)
				}
			})
			if allocs != 0 {
				t.Errorf("%v allocations per Parse, want 0", allocs)
			}
		})
	}
}

func TestParseOfAVersion2IPv4HeaderAllocatesOnlyItsAddresses(t *testing.T) {
	buf := rawV2(v2Proxy, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 50000, 443))
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := Parse(buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("%v allocations per Parse, want 1 (both addresses together)", allocs)
	}
}
