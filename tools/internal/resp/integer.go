package resp

// maxIntegerLength is the longest decimal integer Redis accepts: "-9223372036854775808" is 20
// bytes.
const maxIntegerLength = 20

// ParseInt parses b as a signed 64-bit decimal integer by the rules Redis applies to every
// number it reads (string2ll): an optional '-', then digits with no leading zero (unless the
// number is "0"), nothing else (no '+', no spaces), at most 20 bytes, within int64. It reports
// false for anything else. Safe for concurrent use.
func ParseInt(b []byte) (int64, bool) {
	// hot path: no allocation
	if len(b) == 0 || len(b) > maxIntegerLength {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	negative := b[0] == '-'
	if negative {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var magnitude uint64
	for _, digit := range b {
		if digit < '0' || digit > '9' {
			return 0, false
		}
		// 20 bytes can exceed uint64 only in the last step: check it.
		if magnitude > (1<<64-1)/10 {
			return 0, false
		}
		magnitude *= 10
		if magnitude > 1<<64-1-uint64(digit-'0') {
			return 0, false
		}
		magnitude += uint64(digit - '0')
	}
	if negative {
		if magnitude > 1<<63 {
			return 0, false
		}
		return -int64(magnitude-1) - 1, true
	}
	if magnitude > 1<<63-1 {
		return 0, false
	}
	return int64(magnitude), true
}
