package release

import "errors"

// The reasons Run refuses a release. Every refusal wraps one of them, followed by the
// details (which module, which tag, what the go command said); compare with errors.Is.
// Run checks them all before it changes anything.
var (
	// ErrInvalidVersion: the version is not a canonical semantic version (vMAJOR.MINOR.PATCH,
	// optionally with a -prerelease, without +build metadata), or its major version does not
	// match the module paths, which carry no /vN suffix.
	ErrInvalidVersion = errors.New("gnet: release: invalid version")
	// ErrDirtyTree: the work tree has changes or untracked files that the release commit
	// would either miss or sweep in.
	ErrDirtyTree = errors.New("gnet: release: the work tree is not clean")
	// ErrCycle: modules require each other in a cycle, so no module can be tagged first.
	ErrCycle = errors.New("gnet: release: the modules' requirements form a cycle")
	// ErrTagExists: a module already has a tag for this version.
	ErrTagExists = errors.New("gnet: release: tag already exists")
	// ErrNotNewer: a module has a release at or above this version.
	ErrNotNewer = errors.New("gnet: release: version is not above a previous release")
	// ErrNotReplaced: a module requires a sibling without a replace directive that points
	// at the sibling's folder for every version, so outside the workspace it would fetch
	// the sibling instead of building it from this tree.
	ErrNotReplaced = errors.New("gnet: release: sibling requirement not replaced by its folder")
	// ErrNotTidy: GOWORK=off go mod tidy would change a module's go.mod or go.sum.
	ErrNotTidy = errors.New("gnet: release: module is not tidy")
	// ErrBuild: a module does not build on its own (GOWORK=off) for one of the platforms.
	ErrBuild = errors.New("gnet: release: module does not build outside the workspace")
	// ErrIncompatible: a module at v1 or above changes its API incompatibly within the same
	// major version.
	ErrIncompatible = errors.New("gnet: release: incompatible API change within a major version")
)
