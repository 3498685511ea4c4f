package codec_test

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/gnetio/gnet/codec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The layouts below follow the examples of Netty's LengthFieldBasedFrameDecoder documentation,
// written out as bytes.
func TestLengthFieldDecodeFindsTheFrameTheConfigurationDescribes(t *testing.T) {
	tests := []struct {
		name      string
		config    codec.DecoderConfig
		buffered  string
		wantFrame string
	}{
		{
			name:      "2-byte length, header kept",
			config:    codec.DecoderConfig{LengthFieldLength: 2},
			buffered:  "\x00\x0cHELLO, WORLD",
			wantFrame: "\x00\x0cHELLO, WORLD",
		},
		{
			name:      "2-byte length, header stripped",
			config:    codec.DecoderConfig{LengthFieldLength: 2, InitialBytesToStrip: 2},
			buffered:  "\x00\x0cHELLO, WORLD",
			wantFrame: "HELLO, WORLD",
		},
		{
			name:      "length counts the length field",
			config:    codec.DecoderConfig{LengthFieldLength: 2, LengthAdjustment: -2},
			buffered:  "\x00\x0eHELLO, WORLD",
			wantFrame: "\x00\x0eHELLO, WORLD",
		},
		{
			name:      "3-byte length after a 2-byte header",
			config:    codec.DecoderConfig{LengthFieldOffset: 2, LengthFieldLength: 3},
			buffered:  "\xca\xfe\x00\x00\x0cHELLO, WORLD",
			wantFrame: "\xca\xfe\x00\x00\x0cHELLO, WORLD",
		},
		{
			name:      "3-byte length before a 2-byte header",
			config:    codec.DecoderConfig{LengthFieldLength: 3, LengthAdjustment: 2},
			buffered:  "\x00\x00\x0c\xca\xfeHELLO, WORLD",
			wantFrame: "\x00\x00\x0c\xca\xfeHELLO, WORLD",
		},
		{
			name:      "length between two 1-byte headers, first three bytes stripped",
			config:    codec.DecoderConfig{LengthFieldOffset: 1, LengthFieldLength: 2, LengthAdjustment: 1, InitialBytesToStrip: 3},
			buffered:  "\xca\x00\x0c\xfeHELLO, WORLD",
			wantFrame: "\xfeHELLO, WORLD",
		},
		{
			name:      "length between two 1-byte headers counting the whole frame",
			config:    codec.DecoderConfig{LengthFieldOffset: 1, LengthFieldLength: 2, LengthAdjustment: -3, InitialBytesToStrip: 3},
			buffered:  "\xca\x00\x10\xfeHELLO, WORLD",
			wantFrame: "\xfeHELLO, WORLD",
		},
		{
			name:      "4-byte little-endian length",
			config:    codec.DecoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 4, InitialBytesToStrip: 4},
			buffered:  "\x0c\x00\x00\x00HELLO, WORLD",
			wantFrame: "HELLO, WORLD",
		},
		{
			name:      "nil byte order means big endian",
			config:    codec.DecoderConfig{ByteOrder: nil, LengthFieldLength: 4, InitialBytesToStrip: 4},
			buffered:  "\x00\x00\x00\x05hello",
			wantFrame: "hello",
		},
		{
			name:      "8-byte big-endian length",
			config:    codec.DecoderConfig{LengthFieldLength: 8, InitialBytesToStrip: 8},
			buffered:  "\x00\x00\x00\x00\x00\x00\x00\x05hello",
			wantFrame: "hello",
		},
		{
			name:      "empty payload",
			config:    codec.DecoderConfig{LengthFieldLength: 1, InitialBytesToStrip: 1},
			buffered:  "\x00",
			wantFrame: "",
		},
		{
			name:      "frame of exactly the maximum",
			config:    codec.DecoderConfig{LengthFieldLength: 1, MaxFrameLength: 6},
			buffered:  "\x05hello",
			wantFrame: "\x05hello",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cd := mustLengthFieldCodec(t, codec.EncoderConfig{LengthFieldLength: 4}, tt.config)
			c := newMemConn([]byte(tt.buffered + "next"))

			frame, err := cd.Decode(c)

			require.NoError(t, err)
			assert.Equal(t, tt.wantFrame, string(frame))
			assert.Equal(t, "next", string(c.Read()))
		})
	}
}

func TestLengthFieldDecodeRejectsABadLengthFromTheHeaderAlone(t *testing.T) {
	tests := []struct {
		name     string
		config   codec.DecoderConfig
		buffered string
		wantErr  error
	}{
		{
			name:     "negative after adjustment",
			config:   codec.DecoderConfig{LengthFieldLength: 1, LengthAdjustment: -5},
			buffered: "\x03",
			wantErr:  codec.ErrTooLessLength,
		},
		{
			name:     "8-byte length just over the largest int",
			config:   codec.DecoderConfig{LengthFieldLength: 8},
			buffered: "\x80\x00\x00\x00\x00\x00\x00\x00",
			wantErr:  codec.ErrTooLessLength,
		},
		{
			name:     "8-byte length of all ones",
			config:   codec.DecoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 8},
			buffered: "\xff\xff\xff\xff\xff\xff\xff\xff",
			wantErr:  codec.ErrTooLessLength,
		},
		{
			name:     "largest int plus a positive adjustment",
			config:   codec.DecoderConfig{LengthFieldLength: 8, LengthAdjustment: 10},
			buffered: "\x7f\xff\xff\xff\xff\xff\xff\xfa",
			wantErr:  codec.ErrFrameTooLarge,
		},
		{
			name:     "8-byte length past 32 bits",
			config:   codec.DecoderConfig{LengthFieldLength: 8},
			buffered: "\x00\x00\x00\x01\x00\x00\x00\x00",
			wantErr:  codec.ErrFrameTooLarge,
		},
		{
			name:     "4-byte length of all ones",
			config:   codec.DecoderConfig{LengthFieldLength: 4},
			buffered: "\xff\xff\xff\xff",
			wantErr:  codec.ErrFrameTooLarge,
		},
		{
			name:     "one byte over a configured maximum",
			config:   codec.DecoderConfig{LengthFieldLength: 2, MaxFrameLength: 16},
			buffered: "\x00\x0f",
			wantErr:  codec.ErrFrameTooLarge,
		},
		{
			name:     "one byte over the default maximum",
			config:   codec.DecoderConfig{LengthFieldLength: 4, LengthAdjustment: -4},
			buffered: "\x00\x40\x00\x01",
			wantErr:  codec.ErrFrameTooLarge,
		},
		{
			name:     "frame shorter than the bytes to strip",
			config:   codec.DecoderConfig{LengthFieldLength: 1, InitialBytesToStrip: 5},
			buffered: "\x01",
			wantErr:  codec.ErrTooLessLength,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cd := mustLengthFieldCodec(t, codec.EncoderConfig{LengthFieldLength: 4}, tt.config)

			frame, err := cd.Decode(newMemConn([]byte(tt.buffered)))

			assert.Nil(t, frame)
			assert.ErrorIs(t, err, tt.wantErr)
		})
	}
}

func TestLengthFieldDecodeAcceptsAFrameOfTheDefaultMaximum(t *testing.T) {
	cd := mustLengthFieldCodec(t, codec.EncoderConfig{LengthFieldLength: 4},
		codec.DecoderConfig{LengthFieldLength: 4, LengthAdjustment: -4})
	frame := append([]byte{0x00, 0x40, 0x00, 0x00}, patternBytes(codec.DefaultMaxFrameLength-4)...)

	decoded, err := cd.Decode(newMemConn(frame))

	require.NoError(t, err)
	assert.Equal(t, frame, decoded)
}

func TestLengthFieldEncodeWritesTheAdjustedLengthInTheConfiguredWidthAndOrder(t *testing.T) {
	tests := []struct {
		name   string
		config codec.EncoderConfig
		reply  string
		want   string
	}{
		{name: "1 byte", config: codec.EncoderConfig{LengthFieldLength: 1}, reply: "hi", want: "\x02hi"},
		{name: "2 bytes, nil order", config: codec.EncoderConfig{LengthFieldLength: 2}, reply: "hi", want: "\x00\x02hi"},
		{name: "2 bytes little endian", config: codec.EncoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 2}, reply: "hi", want: "\x02\x00hi"},
		{name: "3 bytes big endian", config: codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 3, LengthAdjustment: 0x010000}, reply: "hi", want: "\x01\x00\x02hi"},
		{name: "3 bytes little endian", config: codec.EncoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 3, LengthAdjustment: 0x010000}, reply: "hi", want: "\x02\x00\x01hi"},
		{name: "4 bytes counting itself", config: codec.EncoderConfig{LengthFieldLength: 4, LengthIncludesLengthFieldLength: true}, reply: "hi", want: "\x00\x00\x00\x06hi"},
		{name: "8 bytes little endian", config: codec.EncoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 8}, reply: "hi", want: "\x02\x00\x00\x00\x00\x00\x00\x00hi"},
		{name: "negative adjustment", config: codec.EncoderConfig{LengthFieldLength: 1, LengthAdjustment: -2}, reply: "hi", want: "\x00hi"},
		{name: "largest 1-byte length", config: codec.EncoderConfig{LengthFieldLength: 1, LengthAdjustment: 253}, reply: "hi", want: "\xffhi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cd := mustLengthFieldCodec(t, tt.config, codec.DecoderConfig{LengthFieldLength: 1})

			encoded, err := cd.Encode(nil, []byte(tt.reply))
			require.NoError(t, err)
			appended, err := cd.AppendEncode([]byte("kept"), nil, []byte(tt.reply))
			require.NoError(t, err)

			assert.Equal(t, tt.want, string(encoded))
			assert.Equal(t, "kept"+tt.want, string(appended))
		})
	}
}

func TestLengthFieldEncodeRejectsALengthTheFieldCannotHold(t *testing.T) {
	tests := []struct {
		name    string
		config  codec.EncoderConfig
		reply   []byte
		wantErr error
	}{
		{name: "300 bytes in 1 byte", config: codec.EncoderConfig{LengthFieldLength: 1}, reply: patternBytes(300), wantErr: codec.ErrUnsupportedLength},
		{name: "256 in 1 byte", config: codec.EncoderConfig{LengthFieldLength: 1, LengthAdjustment: 255}, reply: []byte("x"), wantErr: codec.ErrUnsupportedLength},
		{name: "1<<16 in 2 bytes", config: codec.EncoderConfig{LengthFieldLength: 2, LengthAdjustment: 0xffff}, reply: []byte("x"), wantErr: codec.ErrUnsupportedLength},
		{name: "1<<24 in 3 bytes", config: codec.EncoderConfig{LengthFieldLength: 3, LengthAdjustment: 0xffffff}, reply: []byte("x"), wantErr: codec.ErrUnsupportedLength},
		// On 32-bit platforms an int cannot reach 1<<32; the adjustment then overflows an int, refused alike.
		{name: "1<<32 in 4 bytes", config: codec.EncoderConfig{LengthFieldLength: 4, LengthAdjustment: min(math.MaxUint32, math.MaxInt)}, reply: []byte("x"), wantErr: codec.ErrUnsupportedLength},
		{name: "counting itself pushes past 1 byte", config: codec.EncoderConfig{LengthFieldLength: 1, LengthIncludesLengthFieldLength: true}, reply: patternBytes(255), wantErr: codec.ErrUnsupportedLength},
		{name: "adjustment overflows an int", config: codec.EncoderConfig{LengthFieldLength: 8, LengthAdjustment: math.MaxInt}, reply: []byte("x"), wantErr: codec.ErrUnsupportedLength},
		{name: "negative after adjustment", config: codec.EncoderConfig{LengthFieldLength: 4, LengthAdjustment: -3}, reply: []byte("hi"), wantErr: codec.ErrTooLessLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cd := mustLengthFieldCodec(t, tt.config, codec.DecoderConfig{LengthFieldLength: 1})

			encoded, err := cd.Encode(nil, tt.reply)
			appended, appendErr := cd.AppendEncode([]byte("kept"), nil, tt.reply)

			assert.ErrorIs(t, err, tt.wantErr)
			assert.Nil(t, encoded)
			assert.ErrorIs(t, appendErr, tt.wantErr)
			assert.Equal(t, "kept", string(appended))
		})
	}
}

// middleEndian is a byte order that is neither big nor little endian (the PDP-11's), which the
// codec cannot represent.
type middleEndian struct{}

func (middleEndian) Uint16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func (middleEndian) Uint32(b []byte) uint32 {
	return uint32(binary.LittleEndian.Uint16(b))<<16 | uint32(binary.LittleEndian.Uint16(b[2:]))
}
func (middleEndian) Uint64(b []byte) uint64 {
	return uint64(middleEndian{}.Uint32(b))<<32 | uint64(middleEndian{}.Uint32(b[4:]))
}
func (middleEndian) PutUint16(b []byte, v uint16) { binary.LittleEndian.PutUint16(b, v) }
func (middleEndian) PutUint32(b []byte, v uint32) {
	binary.LittleEndian.PutUint16(b, uint16(v>>16))
	binary.LittleEndian.PutUint16(b[2:], uint16(v))
}
func (middleEndian) PutUint64(b []byte, v uint64) {
	middleEndian{}.PutUint32(b, uint32(v>>32))
	middleEndian{}.PutUint32(b[4:], uint32(v))
}
func (middleEndian) String() string { return "middleEndian" }

func TestNewLengthFieldRejectsAnInvalidConfiguration(t *testing.T) {
	validEncoder := codec.EncoderConfig{LengthFieldLength: 4}
	validDecoder := codec.DecoderConfig{LengthFieldLength: 4}
	tests := []struct {
		name    string
		encoder codec.EncoderConfig
		decoder codec.DecoderConfig
		wantErr error
	}{
		{name: "encoder width 0", encoder: codec.EncoderConfig{}, decoder: validDecoder, wantErr: codec.ErrUnsupportedLength},
		{name: "encoder width 5", encoder: codec.EncoderConfig{LengthFieldLength: 5}, decoder: validDecoder, wantErr: codec.ErrUnsupportedLength},
		{name: "encoder width 16", encoder: codec.EncoderConfig{LengthFieldLength: 16}, decoder: validDecoder, wantErr: codec.ErrUnsupportedLength},
		{name: "decoder width -1", encoder: validEncoder, decoder: codec.DecoderConfig{LengthFieldLength: -1}, wantErr: codec.ErrUnsupportedLength},
		{name: "decoder width 6", encoder: validEncoder, decoder: codec.DecoderConfig{LengthFieldLength: 6}, wantErr: codec.ErrUnsupportedLength},
		{name: "decoder width 7", encoder: validEncoder, decoder: codec.DecoderConfig{LengthFieldLength: 7}, wantErr: codec.ErrUnsupportedLength},
		{name: "decoder width 9", encoder: validEncoder, decoder: codec.DecoderConfig{LengthFieldLength: 9}, wantErr: codec.ErrUnsupportedLength},
		{name: "encoder byte order neither big nor little", encoder: codec.EncoderConfig{ByteOrder: middleEndian{}, LengthFieldLength: 4}, decoder: validDecoder, wantErr: codec.ErrInvalidConfig},
		{name: "decoder byte order neither big nor little", encoder: validEncoder, decoder: codec.DecoderConfig{ByteOrder: middleEndian{}, LengthFieldLength: 4}, wantErr: codec.ErrInvalidConfig},
		{name: "encoder adjustment overflows with the field's width", encoder: codec.EncoderConfig{LengthFieldLength: 4, LengthAdjustment: math.MaxInt, LengthIncludesLengthFieldLength: true}, decoder: validDecoder, wantErr: codec.ErrInvalidConfig},
		{name: "negative offset", encoder: validEncoder, decoder: codec.DecoderConfig{LengthFieldOffset: -1, LengthFieldLength: 4}, wantErr: codec.ErrInvalidConfig},
		{name: "negative strip", encoder: validEncoder, decoder: codec.DecoderConfig{LengthFieldLength: 4, InitialBytesToStrip: -1}, wantErr: codec.ErrInvalidConfig},
		{name: "header longer than the maximum", encoder: validEncoder, decoder: codec.DecoderConfig{LengthFieldOffset: 13, LengthFieldLength: 4, MaxFrameLength: 16}, wantErr: codec.ErrFrameTooLarge},
		{name: "offset near the largest int", encoder: validEncoder, decoder: codec.DecoderConfig{LengthFieldOffset: math.MaxInt, LengthFieldLength: 4}, wantErr: codec.ErrFrameTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cd, err := codec.NewLengthFieldBasedFrameCodec(tt.encoder, tt.decoder)

			assert.ErrorIs(t, err, tt.wantErr)
			assert.Nil(t, cd)
		})
	}
}

func TestLengthFieldAcceptsNativeEndianAsTheOrderItStandsFor(t *testing.T) {
	config := codec.DecoderConfig{ByteOrder: binary.NativeEndian, LengthFieldLength: 2, InitialBytesToStrip: 2}
	cd := mustLengthFieldCodec(t, codec.EncoderConfig{ByteOrder: binary.NativeEndian, LengthFieldLength: 2}, config)
	header := binary.NativeEndian.AppendUint16(nil, 5)

	encoded, err := cd.Encode(nil, []byte("hello"))
	require.NoError(t, err)
	frame, err := cd.Decode(newMemConn(append(header, "hello"...)))
	require.NoError(t, err)

	assert.Equal(t, append(header, "hello"...), encoded)
	assert.Equal(t, "hello", string(frame))
}
