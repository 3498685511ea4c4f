package codec

import "encoding/binary"

// readLengthField returns the unsigned value of a length field; len(field) is a supported
// width.
//
// hot path: no allocation
func readLengthField(field []byte, littleEndian bool) uint64 {
	switch len(field) {
	case 1:
		return uint64(field[0])
	case 2:
		if littleEndian {
			return uint64(binary.LittleEndian.Uint16(field))
		}
		return uint64(binary.BigEndian.Uint16(field))
	case 3:
		if littleEndian {
			return uint64(field[0]) | uint64(field[1])<<8 | uint64(field[2])<<16
		}
		return uint64(field[0])<<16 | uint64(field[1])<<8 | uint64(field[2])
	case 4:
		if littleEndian {
			return uint64(binary.LittleEndian.Uint32(field))
		}
		return uint64(binary.BigEndian.Uint32(field))
	default:
		if littleEndian {
			return binary.LittleEndian.Uint64(field)
		}
		return binary.BigEndian.Uint64(field)
	}
}

// appendLengthField appends value as a length field of width bytes; the caller has checked
// that it fits.
//
// hot path: no allocation (beyond growing dst)
func appendLengthField(dst []byte, width int, littleEndian bool, value uint64) []byte {
	switch width {
	case 1:
		return append(dst, byte(value))
	case 2:
		if littleEndian {
			return binary.LittleEndian.AppendUint16(dst, uint16(value))
		}
		return binary.BigEndian.AppendUint16(dst, uint16(value))
	case 3:
		if littleEndian {
			return append(dst, byte(value), byte(value>>8), byte(value>>16))
		}
		return append(dst, byte(value>>16), byte(value>>8), byte(value))
	case 4:
		if littleEndian {
			return binary.LittleEndian.AppendUint32(dst, uint32(value))
		}
		return binary.BigEndian.AppendUint32(dst, uint32(value))
	default:
		if littleEndian {
			return binary.LittleEndian.AppendUint64(dst, value)
		}
		return binary.BigEndian.AppendUint64(dst, value)
	}
}
