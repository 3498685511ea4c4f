package proxyproto

import (
	"encoding/binary"
	"fmt"
	"math"
)

// TLVType is the type byte of a version 2 TLV (or of a sub-TLV inside PP2_TYPE_SSL).
type TLVType uint8

// The registered TLV types.
const (
	// TypeALPN: the application protocol negotiated with the client, as in TLS's ALPN.
	TypeALPN TLVType = 0x01
	// TypeAuthority: the host name the client asked for, UTF-8 (TLS's SNI when TLS is used).
	TypeAuthority TLVType = 0x02
	// TypeCRC32C: the CRC-32C of the whole header, computed with this value as zeros, 4 bytes
	// big-endian. Parse verifies it; AppendV2 computes it.
	TypeCRC32C TLVType = 0x03
	// TypeNOOP: padding, to be ignored.
	TypeNOOP TLVType = 0x04
	// TypeUniqueID: an opaque identifier of the connection, at most 128 bytes.
	TypeUniqueID TLVType = 0x05
	// TypeSSL: how the client connected over TLS; see SSL.
	TypeSSL TLVType = 0x20
	// TypeNetNS: the name of the network namespace, US-ASCII.
	TypeNetNS TLVType = 0x30
)

// The sub-TLV types found inside a TypeSSL value.
const (
	// SubtypeSSLVersion: the TLS version, such as "TLSv1.3".
	SubtypeSSLVersion TLVType = 0x21
	// SubtypeSSLCN: the Common Name of the client certificate's subject, UTF-8.
	SubtypeSSLCN TLVType = 0x22
	// SubtypeSSLCipher: the cipher's name, such as "ECDHE-RSA-AES128-GCM-SHA256".
	SubtypeSSLCipher TLVType = 0x23
	// SubtypeSSLSigAlg: the signature algorithm of the proxy's certificate.
	SubtypeSSLSigAlg TLVType = 0x24
	// SubtypeSSLKeyAlg: the key algorithm of the proxy's certificate.
	SubtypeSSLKeyAlg TLVType = 0x25
	// SubtypeSSLGroup: the key exchange group, such as "secp256r1".
	SubtypeSSLGroup TLVType = 0x26
	// SubtypeSSLSigScheme: the signature scheme of the handshake.
	SubtypeSSLSigScheme TLVType = 0x27
	// SubtypeSSLClientCert: the client's certificate, DER.
	SubtypeSSLClientCert TLVType = 0x28
)

// SSLClient is the bit field of SSL.Client.
type SSLClient uint8

const (
	// SSLClientSSL: the client connected over TLS.
	SSLClientSSL SSLClient = 0x01
	// SSLClientCertConn: the client sent a certificate on this connection.
	SSLClientCertConn SSLClient = 0x02
	// SSLClientCertSess: the client sent a certificate at least once in this TLS session.
	SSLClientCertSess SSLClient = 0x04
)

const (
	tlvHeaderLength   = 3   // type, then a 16-bit big-endian length
	crc32cLength      = 4   // TypeCRC32C's value
	maxUniqueIDLength = 128 // TypeUniqueID's value, at most
	sslFixedLength    = 5   // SSL's client byte and 32-bit verify field, before its sub-TLVs
	maxTLVValueLength = math.MaxUint16
)

// TLV is one type-length-value entry of a version 2 header. In a Header that Parse returned,
// Value is a copy, never nil, and stays valid as long as the Header is kept.
type TLV struct {
	Type  TLVType
	Value []byte
}

// SSL is the value of a TypeSSL TLV.
type SSL struct {
	// Client says what the client did over TLS.
	Client SSLClient
	// Verify is zero when the client presented a certificate and it verified, non-zero
	// otherwise.
	Verify uint32
	// TLVs are the sub-TLVs (the Subtype* types), in order.
	TLVs []TLV
}

// Lookup returns the value of the first sub-TLV of type t, and whether there is one.
func (s SSL) Lookup(t TLVType) ([]byte, bool) {
	return lookup(s.TLVs, t)
}

// TLV encodes s as a TypeSSL TLV, to put in Header.TLVs. It fails with ErrUnencodable when a
// sub-TLV's value, or the whole value, is longer than a TLV can say (65535 bytes).
func (s SSL) TLV() (TLV, error) {
	value := make([]byte, sslFixedLength, sslFixedLength+tlvsLength(s.TLVs))
	value[0] = byte(s.Client)
	binary.BigEndian.PutUint32(value[1:], s.Verify)
	value, err := appendTLVs(value, s.TLVs)
	if err != nil {
		return TLV{}, err
	}
	if len(value) > maxTLVValueLength {
		return TLV{}, fmt.Errorf("%w: an SSL TLV of %d bytes is longer than 65535", ErrUnencodable, len(value))
	}
	return TLV{Type: TypeSSL, Value: value}, nil
}

func lookup(tlvs []TLV, t TLVType) ([]byte, bool) {
	for _, tlv := range tlvs {
		if tlv.Type == t {
			return tlv.Value, true
		}
	}
	return nil, false
}

// nextTLV splits the TLV at the start of area into its type and value, and returns what
// follows it. what names the kind of TLV in errors.
func nextTLV(area []byte, what string) (t TLVType, value, rest []byte, err error) {
	if len(area) < tlvHeaderLength {
		return 0, nil, nil, fmt.Errorf("%w: %d bytes left where a %s needs at least 3", ErrMalformed, len(area), what)
	}
	length := int(binary.BigEndian.Uint16(area[1:]))
	end := tlvHeaderLength + length
	if end > len(area) {
		return 0, nil, nil, fmt.Errorf("%w: %s of type %#02x announces %d bytes where %d are left",
			ErrMalformed, what, area[0], length, len(area)-tlvHeaderLength)
	}
	return TLVType(area[0]), area[tlvHeaderLength:end:end], area[end:], nil
}

// countTLVs checks that area is a sequence of whole TLVs and counts them.
func countTLVs(area []byte, what string) (int, error) {
	count := 0
	for len(area) > 0 {
		_, _, rest, err := nextTLV(area, what)
		if err != nil {
			return 0, err
		}
		area = rest
		count++
	}
	return count, nil
}

// splitTLVs fills tlvs, of the length countTLVs returned, from area, which countTLVs
// accepted. The values share area's memory.
func splitTLVs(area []byte, tlvs []TLV) {
	for i := range tlvs {
		t, value, rest, _ := nextTLV(area, "") // area was checked by countTLVs
		tlvs[i] = TLV{Type: t, Value: value}
		area = rest
	}
}

// checkTLVValue applies the specification's rules on the value of a registered type:
// parsing refuses a header that breaks them and encoding one that would.
func checkTLVValue(t TLVType, value []byte) error {
	switch t {
	case TypeCRC32C:
		if len(value) != crc32cLength {
			return fmt.Errorf("%w: CRC32C TLV of %d bytes, not 4", ErrMalformed, len(value))
		}
	case TypeUniqueID:
		if len(value) > maxUniqueIDLength {
			return fmt.Errorf("%w: UNIQUE_ID TLV of %d bytes, more than 128", ErrMalformed, len(value))
		}
	case TypeSSL:
		if len(value) < sslFixedLength {
			return fmt.Errorf("%w: SSL TLV of %d bytes, fewer than its 5 fixed bytes", ErrMalformed, len(value))
		}
		if _, err := countTLVs(value[sslFixedLength:], "sub-TLV of the SSL TLV"); err != nil {
			return err
		}
	}
	return nil
}

func decodeSSL(value []byte) (SSL, error) {
	if err := checkTLVValue(TypeSSL, value); err != nil {
		return SSL{}, err
	}
	s := SSL{Client: SSLClient(value[0]), Verify: binary.BigEndian.Uint32(value[1:])}
	subs := value[sslFixedLength:]
	count, _ := countTLVs(subs, "") // checked above
	if count > 0 {
		s.TLVs = make([]TLV, count)
		splitTLVs(subs, s.TLVs)
	}
	return s, nil
}

func tlvsLength(tlvs []TLV) int {
	n := 0
	for _, tlv := range tlvs {
		n += tlvHeaderLength + len(tlv.Value)
	}
	return n
}

// appendTLVs writes tlvs as they are; it fails only for a value longer than 65535 bytes.
func appendTLVs(dst []byte, tlvs []TLV) ([]byte, error) {
	for _, tlv := range tlvs {
		var err error
		if dst, err = appendTLV(dst, tlv.Type, tlv.Value); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func appendTLV(dst []byte, t TLVType, value []byte) ([]byte, error) {
	if len(value) > maxTLVValueLength {
		return dst, fmt.Errorf("%w: TLV of type %#02x has %d bytes, more than 65535", ErrUnencodable, byte(t), len(value))
	}
	dst = append(dst, byte(t))
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(value)))
	return append(dst, value...), nil
}
