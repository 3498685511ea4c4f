package proxyproto

import "hash/crc32"

// castagnoli is the CRC-32C table; the package computes with the processor's CRC32
// instruction where there is one.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crc32cZeros stands in for the checksum's own value. It is never written; as a package
// variable it costs no allocation, which a local array passed to crc32.Update would.
var crc32cZeros [crc32cLength]byte

// headerCRC32C is the CRC-32C of a version 2 header computed, as the specification says,
// with the 4-byte value of its TypeCRC32C TLV, at offset at, taken as zeros. The header is
// not modified: it may be the caller's read buffer.
func headerCRC32C(header []byte, at int) uint32 {
	crc := crc32.Update(0, castagnoli, header[:at])
	crc = crc32.Update(crc, castagnoli, crc32cZeros[:])
	return crc32.Update(crc, castagnoli, header[at+crc32cLength:])
}
