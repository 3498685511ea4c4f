// Package simtest is the randomized stateful test of the engine: from a seed it draws a
// server set-up, scripts of operations from both sides of several connections and, built
// with the gnetfaults tag, the system-call faults to inject through api/sysfault; it runs
// them over real loopback sockets and checks every message, record and callback against a
// model. A failing seed is shrunk and printed with the command that replays it.
//
// Files: scenario.go what a seed draws; wire.go the self-describing messages and records;
// client.go the clients; handler.go the scripted server; check.go the model's checks; run.go
// one run; seeds.go many runs, the leak check between them and the shrinker; faults*.go the
// fault rules and, with the tag, their injector.
//
// Run and RunSeeds are exported for soaks in other packages of this module.
package simtest
