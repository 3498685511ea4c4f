package proxyproto

// The version 1 line's numbers, parsed as strictly as the specification words them: decimal
// without leading zeros (which could be read as octal) or signs, IPv4 as exactly four
// numbers of 0-255, IPv6 as groups of one to four hex digits with at most one "::" and
// exactly 128 bits. An IPv6 address may end in dotted IPv4 ("::ffff:192.0.2.1"), as
// inet_ntop writes an IPv4-mapped address and inet_pton reads it; zones and brackets are
// refused. They work on the bytes in place and allocate nothing.

const (
	maxIPv4TextLength = len("255.255.255.255")
	maxIPv6TextLength = len("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255")
	maxPortTextLength = len("65535")
)

func isDecimalDigit(c byte) bool { return '0' <= c && c <= '9' }

func hexDigitValue(c byte) (int, bool) {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0'), true
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10, true
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}

// decimalPrefix reads the run of decimal digits at the start of s, at most maxDigits of
// them, and reports its value and length; ok is false for no digit, or a leading zero.
func decimalPrefix(s []byte, maxDigits int) (value, length int, ok bool) {
	for length < len(s) && length < maxDigits && isDecimalDigit(s[length]) {
		value = value*10 + int(s[length]-'0')
		length++
	}
	return value, length, length == 1 || (length > 1 && s[0] != '0')
}

// parsePortText reads a whole port number, 0 to 65535.
func parsePortText(s []byte) (int, bool) {
	port, n, ok := decimalPrefix(s, maxPortTextLength)
	return port, ok && n == len(s) && port <= 0xffff
}

// parseIPv4Text reads a whole dotted-quad IPv4 address.
func parseIPv4Text(s []byte) (ip [4]byte, ok bool) {
	for i := range ip {
		if i > 0 {
			if len(s) == 0 || s[0] != '.' {
				return ip, false
			}
			s = s[1:]
		}
		octet, n, ok := decimalPrefix(s, 3)
		if !ok || octet > 0xff {
			return ip, false
		}
		ip[i] = byte(octet)
		s = s[n:]
	}
	return ip, len(s) == 0
}

// parseIPv6Text reads a whole textual IPv6 address.
func parseIPv6Text(s []byte) (ip [16]byte, ok bool) {
	const groups = 8
	ellipsis := -1 // the number of groups before "::", once seen
	g := 0         // groups read
	i := 0
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		ellipsis, i = 0, 2
	}
	for i < len(s) {
		if g == groups {
			return ip, false
		}
		start, value := i, 0
		for i < len(s) && i-start <= 4 {
			digit, isHex := hexDigitValue(s[i])
			if !isHex {
				break
			}
			value = value<<4 | digit
			i++
		}
		if i == start || i-start > 4 {
			return ip, false
		}
		if i < len(s) && s[i] == '.' {
			// The group just read was the first number of a dotted IPv4 tail, which takes
			// the last two groups and ends the address.
			if g > groups-2 {
				return ip, false
			}
			v4, ok := parseIPv4Text(s[start:])
			if !ok {
				return ip, false
			}
			copy(ip[2*g:], v4[:])
			g += 2
			break
		}
		ip[2*g], ip[2*g+1] = byte(value>>8), byte(value)
		g++
		if i == len(s) {
			break
		}
		if s[i] != ':' || i+1 == len(s) {
			return ip, false
		}
		i++
		if s[i] == ':' {
			if ellipsis >= 0 {
				return ip, false
			}
			ellipsis = g
			i++
		}
	}
	if ellipsis < 0 {
		return ip, g == groups
	}
	if g == groups {
		return ip, false // "::" stands for at least one group of zeros
	}
	after := g - ellipsis
	copy(ip[16-2*after:], ip[2*ellipsis:2*g])
	clear(ip[2*ellipsis : 16-2*after])
	return ip, true
}
