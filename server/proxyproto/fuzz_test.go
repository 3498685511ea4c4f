package proxyproto

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse holds Parse to its contract on any input: no panic; n within the input, and
// positive exactly when a header is returned; a refusal wraps exactly one sentinel; feeding
// the input one byte at a time decides as parsing it whole does; and an accepted header
// re-encodes, in its version, to bytes that parse to the same header. The seeds, under
// testdata/fuzz/FuzzParse, cover both versions' shapes, accepted and refused.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, input []byte) {
		var p Parser
		h, n, err := p.Parse(input)
		switch {
		case err == nil:
			if n <= 0 || n > len(input) {
				t.Fatalf("accepted with n = %d of %d bytes", n, len(input))
			}
		case errors.Is(err, ErrIncomplete):
			if n != 0 {
				t.Fatalf("ErrIncomplete with n = %d", n)
			}
		default:
			checkOneSentinel(t, err)
			if n != 0 {
				t.Fatalf("refused (%v) with n = %d", err, n)
			}
		}
		checkIncrementalMatchesWhole(t, p, input)
		if err != nil {
			return
		}
		checkAcceptedHeaderIsConsistent(t, h)

		encoded, err := appendVersion(h.Version, nil, h)
		if err != nil {
			t.Fatalf("an accepted header does not re-encode: %v\nheader %+v", err, h)
		}
		again, n, err := p.Parse(encoded)
		if err != nil || n != len(encoded) {
			t.Fatalf("the re-encoded header %q parses to n = %d, err = %v", encoded, n, err)
		}
		if d := headerDiff(again, h, true); d != "" {
			t.Fatalf("re-encoded header differs: %s\ninput   %q\nencoded %q", d, input[:len(encoded)], encoded)
		}
	})
}

func checkOneSentinel(t *testing.T, err error) {
	t.Helper()
	wrapped := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			wrapped++
		}
	}
	if wrapped != 1 || !strings.HasPrefix(err.Error(), "gnet: ") {
		t.Fatalf("refusal %q wraps %d sentinels, want exactly one, and a \"gnet: \" prefix", err, wrapped)
	}
}

// checkAcceptedHeaderIsConsistent checks what the Header documentation promises.
func checkAcceptedHeaderIsConsistent(t *testing.T, h Header) {
	t.Helper()
	if h.Version != 1 && h.Version != 2 {
		t.Fatalf("version %d", h.Version)
	}
	if (h.Source == nil) != (h.Destination == nil) || (h.Source == nil) != (h.Transport == TransportUnspec) {
		t.Fatalf("addresses %v and %v with transport %d", h.Source, h.Destination, h.Transport)
	}
	if h.Command == CommandLocal && h.Source != nil {
		t.Fatalf("a LOCAL header with addresses %v and %v", h.Source, h.Destination)
	}
	if h.Version == 1 && (h.Command != CommandProxy || h.TLVs != nil) {
		t.Fatalf("version 1 header with command %d and TLVs %v", h.Command, h.TLVs)
	}
	if _, hasSSL := h.Lookup(TypeSSL); hasSSL {
		if _, ok := h.SSL(); !ok {
			t.Fatal("an accepted SSL TLV does not decode")
		}
	}
}
