module github.com/gnetio/gnet/codec

go 1.26

require (
	github.com/gnetio/gnet/api v0.0.0-00010101000000-000000000000
	github.com/stretchr/testify v1.12.1
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect

// The sibling modules come from this checkout, with or without the workspace (GOWORK=off).
// Programs that require this module ignore these lines and get the versions required above.
replace github.com/gnetio/gnet/api => ../api
