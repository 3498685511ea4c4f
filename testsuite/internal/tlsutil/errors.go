package tlsutil

import "errors"

// ErrNoHosts is returned by IssueServer when it is given no host to certify.
var ErrNoHosts = errors.New("gnet: tlsutil: a server certificate needs at least one host")
