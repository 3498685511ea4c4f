package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// markerEstablished starts the line printed once every idle connection is open.
const markerEstablished = "loadgen: established"

// runIdle opens cfg.idle connections that send nothing, says so on out, holds them for
// cfg.hold (or until ctx ends, when cfg.hold is 0), then closes them.
func runIdle(ctx context.Context, cfg config, out io.Writer) error {
	conns, err := dialAll(ctx, cfg, cfg.idle)
	if err != nil {
		return err
	}
	defer closeAll(conns)

	if cfg.json {
		_, err = fmt.Fprintf(out, "{\"established\":%d}\n", len(conns))
	} else {
		_, err = fmt.Fprintf(out, "%s %d idle connections, holding them %s\n",
			markerEstablished, len(conns), holdDescription(cfg.hold))
	}
	if err != nil {
		return err
	}

	if cfg.hold == 0 {
		<-ctx.Done()
		return nil
	}
	// Holding ends either way; which of the two ended it does not matter to the caller.
	_ = sleepUnlessDone(ctx, cfg.hold)
	return nil
}

// holdDescription says how long a hold of d lasts, in words.
func holdDescription(d time.Duration) string {
	if d == 0 {
		return "until SIGINT or SIGTERM"
	}
	return "for " + d.String()
}
