// Package release releases every module of the repository at one version, the way the
// README's Releasing section describes: it checks that the release would build for its
// users, sets each module's requirements on its siblings to the new version, commits that
// and tags the modules in dependency order (api/v0.3.0, buffer/v0.3.0, ...), with a report
// of each module's API changes since its previous release.
//
// The repository keeps every sibling requirement paired with a replace directive pointing
// at the sibling's folder, so that a module builds from the checkout with or without the
// workspace; programs that require a released module ignore those directives and get the
// sibling versions the release wrote. Run is the whole procedure; tools/cmd/release is its
// command line, and the module proof test serves the rewrite Rewrite performs.
package release
