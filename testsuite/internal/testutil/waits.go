package testutil

import "time"

// WaitLimit bounds every wait for something a server or a peer does, and is the deadline set
// on client sockets. It is generous because the race detector slows everything several times.
const WaitLimit = 20 * time.Second

// PollEvery is how often a wait for a server-side event looks again.
const PollEvery = 5 * time.Millisecond
