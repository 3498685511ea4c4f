//go:build !gnetfaults

package sysfault

// Enabled reports whether this build has the seam: true only when built with the gnetfaults
// tag.
const Enabled = false

// Check returns the zero Fault: a build without the gnetfaults tag injects nothing.
func Check(Call) Fault { return Fault{} }
