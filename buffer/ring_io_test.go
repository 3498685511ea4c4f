package buffer

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestRingReadFromAppendsUntilEOF(t *testing.T) {
	tests := []struct {
		name   string
		source io.Reader
		want   []byte
	}{
		{name: "empty source", source: bytes.NewReader(nil), want: nil},
		{name: "larger than the initial capacity", source: bytes.NewReader(pattern(10000, 3)), want: pattern(10000, 3)},
		{name: "one byte per read", source: iotest.OneByteReader(bytes.NewReader(pattern(700, 4))), want: pattern(700, 4)},
		{name: "data with io.EOF", source: iotest.DataErrReader(bytes.NewReader(pattern(90, 5))), want: pattern(90, 5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRing(64)
			mustWrite(t, r, pattern(10, 1))
			n, err := r.ReadFrom(tt.source)
			if err != nil || n != int64(len(tt.want)) {
				t.Fatalf("ReadFrom = %d, %v, want %d, nil", n, err, len(tt.want))
			}
			if want := concat(pattern(10, 1), tt.want); !bytes.Equal(ringContents(r), want) {
				t.Fatalf("contents %x, want %x", ringContents(r), want)
			}
		})
	}
}

func TestRingReadFromFillsTheFreeSpaceBeforeTheOldestByte(t *testing.T) {
	r := NewRing(1024)
	mustWrite(t, r, pattern(1000, 1))
	r.Discard(990)
	n, err := r.ReadFrom(bytes.NewReader(pattern(600, 2)))
	if err != nil || n != 600 {
		t.Fatalf("ReadFrom = %d, %v, want 600, nil", n, err)
	}
	if want := concat(pattern(1000, 1)[990:], pattern(600, 2)); !bytes.Equal(ringContents(r), want) {
		t.Fatalf("contents %x, want %x", ringContents(r), want)
	}
	if r.Cap() != 1024 {
		t.Fatalf("Cap %d, want 1024: the bytes fit without growing", r.Cap())
	}
}

func TestRingReadFromReportsFaultyReaders(t *testing.T) {
	tests := []struct {
		name    string
		source  io.Reader
		wantErr error
	}{
		{name: "reader error is passed on", source: iotest.ErrReader(io.ErrClosedPipe), wantErr: io.ErrClosedPipe},
		{name: "no progress", source: readerFunc(func([]byte) (int, error) { return 0, nil }), wantErr: io.ErrNoProgress},
		{name: "negative count", source: readerFunc(func([]byte) (int, error) { return -1, nil }), wantErr: ErrInvalidCount},
		{name: "count past the slice", source: readerFunc(func(p []byte) (int, error) { return len(p) + 1, nil }), wantErr: ErrInvalidCount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Ring
			if _, err := r.ReadFrom(tt.source); !errors.Is(err, tt.wantErr) {
				t.Fatalf("ReadFrom error %v, want %v", err, tt.wantErr)
			}
			if !r.IsEmpty() {
				t.Fatalf("Len %d after a faulty read, want 0", r.Len())
			}
		})
	}
}

func TestRingReadFromStopsWhenFullAtMaxRingSize(t *testing.T) {
	withMaxRingSize(t, 4096)
	var r Ring
	n, err := r.ReadFrom(bytes.NewReader(pattern(5000, 1)))
	if !errors.Is(err, ErrTooLarge) || n != 4096 {
		t.Fatalf("ReadFrom = %d, %v, want 4096, ErrTooLarge", n, err)
	}
	if !bytes.Equal(ringContents(&r), pattern(5000, 1)[:4096]) {
		t.Fatal("the bytes read before the limit are not all buffered in order")
	}
}

func TestRingWriteToConsumesWhatTheWriterAccepts(t *testing.T) {
	wrapped := func(t *testing.T) (*Ring, []byte) {
		r := NewRing(64)
		mustWrite(t, r, pattern(60, 1))
		r.Discard(50)
		mustWrite(t, r, pattern(20, 2))
		return r, ringContents(r)
	}
	tests := []struct {
		name      string
		accept    int // bytes the writer takes before failing; -1: all
		failWith  error
		wantErr   error
		wantTaken int
	}{
		{name: "all of a wrapped ring", accept: -1, wantTaken: 30},
		{name: "writer error after part", accept: 20, failWith: io.ErrClosedPipe, wantErr: io.ErrClosedPipe, wantTaken: 20},
		{name: "short write without error", accept: 5, wantErr: io.ErrShortWrite, wantTaken: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, all := wrapped(t)
			w := &limitedWriter{limit: tt.accept, err: tt.failWith}
			n, err := r.WriteTo(w)
			if !errors.Is(err, tt.wantErr) || n != int64(tt.wantTaken) {
				t.Fatalf("WriteTo = %d, %v, want %d, %v", n, err, tt.wantTaken, tt.wantErr)
			}
			if !bytes.Equal(w.got, all[:tt.wantTaken]) || !bytes.Equal(ringContents(r), all[tt.wantTaken:]) {
				t.Fatalf("writer got %x and ring kept %x, want the split of %x at %d", w.got, ringContents(r), all, tt.wantTaken)
			}
		})
	}
}

func TestRingWriteToRejectsAnImpossibleCount(t *testing.T) {
	r := NewRing(64)
	mustWrite(t, r, pattern(10, 1))
	_, err := r.WriteTo(writerFunc(func(p []byte) (int, error) { return len(p) + 1, nil }))
	if !errors.Is(err, ErrInvalidCount) || r.Len() != 10 {
		t.Fatalf("WriteTo error %v with Len %d, want ErrInvalidCount with 10", err, r.Len())
	}
}

type readerFunc func(p []byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// limitedWriter keeps up to limit bytes (all when limit < 0), then returns err.
type limitedWriter struct {
	limit int
	err   error
	got   []byte
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	n := len(p)
	if w.limit >= 0 {
		n = min(n, w.limit-len(w.got))
	}
	w.got = append(w.got, p[:n]...)
	if n < len(p) {
		return n, w.err
	}
	return n, nil
}
