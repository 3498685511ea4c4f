package peer

import "io"

// echoBufferBytes is the read buffer of Echo, allocated once per connection.
const echoBufferBytes = 16 << 10

// Echo writes back to rw whatever it reads from it, until a read or a write fails (io.EOF
// included); it does not close rw. It runs on the connection's own goroutine.
func Echo(rw io.ReadWriter) {
	buf := make([]byte, echoBufferBytes)
	for {
		n, err := rw.Read(buf)
		if n > 0 {
			if _, werr := rw.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
