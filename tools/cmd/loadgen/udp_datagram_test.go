package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUDPTemplateCheckReturnsTheStampOfAnUnalteredReply(t *testing.T) {
	tmpl := newUDPTemplate(7, 64)
	d := tmpl.newDatagram()
	tmpl.stamp(d, 5, 1<<40+3)

	slot, seq, err := tmpl.check(d)

	require.NoError(t, err)
	assert.Equal(t, uint32(5), slot)
	assert.Equal(t, uint64(1<<40+3), seq)
}

func TestUDPTemplateCheckCatchesEveryAlteration(t *testing.T) {
	tests := []struct {
		name    string
		alter   func(d []byte) []byte
		wantErr string
	}{
		{name: "shorter", alter: func(d []byte) []byte { return d[:63] }, wantErr: "a reply of 63 bytes to 64-byte datagrams"},
		{name: "longer", alter: func(d []byte) []byte { return append(d, 'x') }, wantErr: "a reply of 65 bytes"},
		{name: "empty", alter: func(d []byte) []byte { return d[:0] }, wantErr: "a reply of 0 bytes"},
		{name: "another socket's id", alter: func(d []byte) []byte { d[3] ^= 1; return d }, wantErr: "socket id 6, not 7"},
		{name: "first filler byte", alter: func(d []byte) []byte { d[16] ^= 0x20; return d }, wantErr: "byte 16 of a 64-byte reply"},
		{name: "last filler byte", alter: func(d []byte) []byte { d[63]++; return d }, wantErr: "byte 63 of a 64-byte reply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := newUDPTemplate(7, 64)
			d := tmpl.newDatagram()
			tmpl.stamp(d, 1, 2)

			_, _, err := tmpl.check(tt.alter(d))

			require.ErrorIs(t, err, ErrEchoMismatch)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestUDPTemplatesOfDifferentSocketsDiffer(t *testing.T) {
	a := newUDPTemplate(1, 64)
	b := newUDPTemplate(2, 64)

	assert.NotEqual(t, a.bytes[udpHeaderBytes:], b.bytes[udpHeaderBytes:], "the filler")
	_, _, err := a.check(b.newDatagram())
	assert.ErrorIs(t, err, ErrEchoMismatch)
}

func TestUDPTemplateStampAndCheckDoNotAllocate(t *testing.T) {
	tmpl := newUDPTemplate(3, 64)
	d := tmpl.newDatagram()
	var seq uint64
	allocs := testing.AllocsPerRun(100, func() {
		seq++
		tmpl.stamp(d, 1, seq)
		if _, _, err := tmpl.check(d); err != nil {
			panic(err)
		}
	})
	assert.Zero(t, allocs)
}
