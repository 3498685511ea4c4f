package peer

import (
	"bytes"
	"log"
	"testing"

	"github.com/panjf2000/gnet/v2/pkg/logging"
	"github.com/stretchr/testify/assert"
)

// QuietLogger is handed to gnet.WithLogger.
var _ logging.Logger = QuietLogger{}

func TestQuietLoggerWritesOnlyWarningsAndErrors(t *testing.T) {
	tests := []struct {
		name string
		log  func(QuietLogger)
		want string
	}{
		{name: "debug", log: func(l QuietLogger) { l.Debugf("d %d", 1) }, want: ""},
		{name: "info", log: func(l QuietLogger) { l.Infof("i %d", 2) }, want: ""},
		{name: "warning", log: func(l QuietLogger) { l.Warnf("w %d", 3) }, want: "peerx: warning: w 3\n"},
		{name: "error", log: func(l QuietLogger) { l.Errorf("e %d", 4) }, want: "peerx: error: e 4\n"},
	}
	var out bytes.Buffer
	flags, prefix, writer := log.Flags(), log.Prefix(), log.Writer()
	log.SetFlags(0)
	log.SetPrefix("")
	log.SetOutput(&out)
	t.Cleanup(func() {
		log.SetFlags(flags)
		log.SetPrefix(prefix)
		log.SetOutput(writer)
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out.Reset()
			tt.log(QuietLogger{Name: "peerx"})
			assert.Equal(t, tt.want, out.String())
		})
	}
}
