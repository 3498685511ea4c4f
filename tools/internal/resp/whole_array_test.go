package resp

import (
	"strings"
	"testing"
)

func TestWholeArraysParseAsWhenTheirBytesTrickleIn(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		input  string
	}{
		{name: "ordinary command", input: "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n"},
		{name: "empty bulk string", input: "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"},
		{name: "bulk length with a leading zero", input: "*2\r\n$4\r\nECHO\r\n$01\r\na\r\n"},
		{name: "count with a leading zero", input: "*01\r\n$4\r\nPING\r\n"},
		{name: "count of zero", input: "*0\r\n*1\r\n$4\r\nPING\r\n"},
		{name: "negative count", input: "*-1\r\n*1\r\n$4\r\nPING\r\n"},
		{name: "negative bulk length", input: "*1\r\n$-1\r\n"},
		{name: "ten-digit bulk length", input: "*1\r\n$1000000000\r\n"},
		{name: "nine-digit length over the bulk limit", limits: Limits{MaxBulk: 10}, input: "*1\r\n$11\r\n"},
		{name: "count over the multibulk limit", limits: Limits{MaxMultibulk: 1}, input: "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{name: "header ending in CR and any byte", input: "*1\rX$4\rXPINGxx"},
		{name: "header with a space", input: "*1 \r\n$4\r\nPING\r\n"},
		{name: "element that is not a bulk string", input: "*2\r\n$4\r\nECHO\r\n:1\r\n"},
		{name: "pipeline ending in a partial command", input: strings.Repeat("*1\r\n$4\r\nPING\r\n", 3) + "*2\r\n$3\r\nGET\r\n$5\r\nab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			whole := parseStream(t, NewParser(tt.limits), []byte(tt.input))
			trickled := parseStream(t, NewParser(tt.limits), bytewise([]byte(tt.input))...)
			requireSameStream(t, trickled, whole, "whole against trickled")
		})
	}
}
