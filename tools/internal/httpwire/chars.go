package httpwire

// Byte classes of RFC 9110 section 5.6 and RFC 9112 section 3, as lookup tables: one load per
// byte on the parse path instead of a chain of comparisons.
var (
	// tokenChars are tchar: the characters of methods and field names.
	tokenChars = byteClass(func(b byte) bool {
		switch {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9':
			return true
		}
		switch b {
		case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
			return true
		}
		return false
	})
	// targetChars are the visible ASCII characters a request target is made of; the finer
	// URI grammar is the application's business.
	targetChars = byteClass(func(b byte) bool { return b > ' ' && b < 0x7f })
	// valueChars may appear in a field value: visible characters, obs-text, space and tab.
	valueChars = byteClass(func(b byte) bool { return b == ' ' || b == '\t' || (b > ' ' && b != 0x7f) })
)

func byteClass(member func(b byte) bool) (class [256]bool) {
	for i := range class {
		class[i] = member(byte(i))
	}
	return class
}

// isSpaceOrTab reports OWS characters.
func isSpaceOrTab(b byte) bool { return b == ' ' || b == '\t' }

// trimSpaceAndTab returns b without leading and trailing OWS.
func trimSpaceAndTab(b []byte) []byte {
	for len(b) > 0 && isSpaceOrTab(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpaceOrTab(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// equalFoldASCII reports whether b equals lower, which must be lower case, ignoring the case
// of ASCII letters in b.
func equalFoldASCII(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
