package httpwire

import (
	"sync/atomic"
	"time"
)

// dateLayout is the IMF-fixdate form of RFC 9110 section 5.6.7, always in GMT.
const dateLayout = "Mon, 02 Jan 2006 15:04:05 GMT"

// DateCache holds the current Date field value, so that responses copy 29 bytes instead of
// formatting the time. A ticker calls Refresh once per second; a second's resolution is what
// the field has.
type DateCache struct {
	current atomic.Pointer[formattedDate]
}

// formattedDate is never changed once published, so slices of it stay valid for good.
type formattedDate struct {
	text [len(dateLayout)]byte
}

// NewDateCache returns a cache holding now.
func NewDateCache(now time.Time) *DateCache {
	dc := new(DateCache)
	dc.Refresh(now)
	return dc
}

// Refresh replaces the cached value with now. Safe from any goroutine; it allocates one
// small array per call, which is why it runs once per second and not per response.
func (dc *DateCache) Refresh(now time.Time) {
	fd := new(formattedDate)
	now.UTC().AppendFormat(fd.text[:0], dateLayout)
	dc.current.Store(fd)
}

// Bytes returns the cached value. Safe from any goroutine; the slice stays valid and
// unchanged forever (a refresh publishes a new array), but must not be modified.
func (dc *DateCache) Bytes() []byte {
	// hot path: no allocation
	return dc.current.Load().text[:]
}
