package proxyproto

import (
	"os"
	"path/filepath"
	"testing"
)

// The files in testdata/haproxy are what HAProxy 2.6.12 (Debian 12's haproxy package) sent to
// a server on loopback, each followed by the client's "hello\n" (none for the health check).
// The server lines that produced them:
//
//	v1_tcp4.bin, v1_tcp6.bin       server s 127.0.0.1:19101 send-proxy
//	v2_tcp4_crc_uid.bin, ...tcp6   server s 127.0.0.1:19102 send-proxy-v2 proxy-v2-options crc32c,unique-id
//	v2_tls_ssl_authority.bin       server s 127.0.0.1:19103 send-proxy-v2 proxy-v2-options
//	                                 ssl,cert-cn,ssl-cipher,cert-sig,cert-key,authority,crc32c,unique-id
//	                               behind "bind ... ssl crt ... alpn h2,http/1.1 verify optional", the
//	                               client sending SNI example.com, ALPN h2 and a certificate for
//	                               CN client.example
//	v2_health_local.bin            server s 127.0.0.1:19104 send-proxy-v2 check check-send-proxy
//
// with "unique-id-format conn-%ci-%cp" on the frontends. They hold HAProxy's own CRC-32C, so
// they check the checksum against an implementation other than ours.
func TestHeadersHAProxySentAreParsed(t *testing.T) {
	uniqueID := func(id string) TLV { return TLV{Type: TypeUniqueID, Value: []byte(id)} }
	tests := []struct {
		file string
		want Header
	}{
		{file: "v1_tcp4.bin", want: tcpV1("127.0.0.1", 57456, "127.0.0.1", 19001)},
		{file: "v1_tcp6.bin", want: tcpV1("::1", 50290, "::1", 19002)},
		{file: "v2_health_local.bin", want: Header{Version: 2, Command: CommandLocal}},
		{
			file: "v2_tcp4_crc_uid.bin",
			want: proxyV2(TransportStream, tcp("127.0.0.1", 44724), tcp("127.0.0.1", 19003),
				TLV{Type: TypeCRC32C, Value: []byte{0x2e, 0x90, 0xe6, 0x08}}, uniqueID("conn-127.0.0.1-44724")),
		},
		{
			file: "v2_tcp6_crc_uid.bin",
			want: proxyV2(TransportStream, tcp("::1", 33646), tcp("::1", 19006),
				TLV{Type: TypeCRC32C, Value: []byte{0x33, 0xea, 0x16, 0x7b}}, uniqueID("conn-::1-33646")),
		},
		{
			file: "v2_tls_ssl_authority.bin",
			want: proxyV2(TransportStream, tcp("127.0.0.1", 48980), tcp("127.0.0.1", 19004),
				TLV{Type: TypeCRC32C, Value: []byte{0x5a, 0xd1, 0x50, 0x23}},
				TLV{Type: TypeALPN, Value: []byte("h2")},
				TLV{Type: TypeAuthority, Value: []byte("example.com")},
				uniqueID("conn-127.0.0.1-48980"),
				mustSSLTLV(SSL{Client: SSLClientSSL | SSLClientCertConn | SSLClientCertSess, Verify: 0, TLVs: []TLV{
					{Type: SubtypeSSLVersion, Value: []byte("TLSv1.3")},
					{Type: SubtypeSSLCN, Value: []byte("client.example")},
					{Type: SubtypeSSLKeyAlg, Value: []byte("EC256")},
					{Type: SubtypeSSLSigAlg, Value: []byte("ecdsa-with-SHA256")},
					{Type: SubtypeSSLCipher, Value: []byte("TLS_AES_256_GCM_SHA384")},
				}})),
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			wire, err := os.ReadFile(filepath.Join("testdata", "haproxy", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			h, n, err := Parse(wire)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			payload := "hello\n"
			if tc.want.Command == CommandLocal {
				payload = ""
			}
			if string(wire[n:]) != payload {
				t.Errorf("after the header: %q, want %q", wire[n:], payload)
			}
			if d := headerDiff(h, tc.want, false); d != "" {
				t.Error(d)
			}
			checkIncrementalMatchesWhole(t, Parser{}, wire)
		})
	}
}
