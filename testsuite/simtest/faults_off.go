//go:build !gnetfaults

package simtest

// Without the gnetfaults tag the engine has no seam to inject through: scenarios run their
// operations only.

type injection struct{}

func installFaults([]FaultRule, uint64) injection { return injection{} }
func (injection) counts() Counts                  { return Counts{} }
func (injection) uninstall()                      {}
func (injection) enabled() bool                   { return false }

// FaultsEnabled reports whether this build injects the scenarios' faults.
const FaultsEnabled = false
