package release

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReleaseTagsEveryModuleInDependencyOrderOnTheCommitThatRequiresTheVersion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	start := f.git("rev-parse", "HEAD")

	res, out, err := f.release("v0.1.0", false)
	require.NoError(t, err, out)

	wantTags := []string{"zeta/v0.1.0", "mid/v0.1.0", "app/v0.1.0"}
	assert.Equal(t, wantTags, res.Tags)
	assert.Equal(t, "app/v0.1.0\nmid/v0.1.0\nzeta/v0.1.0", f.git("tag", "--list"))
	assert.Less(t, strings.Index(out, "zeta/v0.1.0"), strings.Index(out, "mid/v0.1.0"), out)
	assert.Less(t, strings.Index(out, "mid/v0.1.0"), strings.Index(out, "app/v0.1.0"), out)

	// One commit on top of the start, which every tag names.
	assert.Equal(t, start, f.git("rev-parse", "HEAD~1"))
	assert.Equal(t, f.git("rev-parse", "HEAD"), res.Commit)
	for _, tag := range wantTags {
		assert.Equal(t, res.Commit, f.git("rev-parse", tag+"^{commit}"), tag)
	}
	assert.Equal(t, "app/go.mod\nmid/go.mod", f.git("diff", "--name-only", "HEAD~1", "HEAD"))

	// The requirements are at the version, the replace directives and // indirect stay.
	appMod := f.read("app/go.mod")
	assert.Contains(t, appMod, "require example.com/rel/mid v0.1.0\n")
	assert.Contains(t, appMod, "require example.com/rel/zeta v0.1.0 // indirect\n")
	assert.Contains(t, appMod, "example.com/rel/mid => ../mid")
	assert.Contains(t, f.read("mid/go.mod"), "require example.com/rel/zeta v0.1.0\n")
	assert.Empty(t, f.git("status", "--porcelain"))
}

func TestReleaseDryRunChecksAndPrintsThePlanButChangesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	before := f.state()

	res, out, err := f.release("v0.1.0", true)
	require.NoError(t, err, out)

	assert.Equal(t, before, f.state())
	assert.Equal(t, []string{"zeta/v0.1.0", "mid/v0.1.0", "app/v0.1.0"}, res.Tags)
	assert.Empty(t, res.Commit)
	assert.Contains(t, out, "app/go.mod")
	assert.Contains(t, out, "dry run: nothing was changed")
}

func TestReleaseRefusesWhatWouldBreakAndChangesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		prepare func(f *fixture)
		version string
		want    error
		wantMsg string
	}{
		{name: "a version that is not semantic", version: "v1.2", want: ErrInvalidVersion, wantMsg: "v1.2.0"},
		{name: "a version without its v", version: "0.1.0", want: ErrInvalidVersion},
		{name: "a version with build metadata", version: "v0.1.0+build.1", want: ErrInvalidVersion},
		{name: "a major version the module paths do not carry", version: "v2.0.0", want: ErrInvalidVersion},
		{
			name:    "an untracked file",
			prepare: func(f *fixture) { f.write("mid/notes.txt", "draft\n") },
			version: "v0.1.0", want: ErrDirtyTree, wantMsg: "mid/notes.txt",
		},
		{
			name:    "a changed file",
			prepare: func(f *fixture) { f.write("zeta/zeta.go", fixtureFiles["zeta/zeta.go"]+"\nvar X int\n") },
			version: "v0.1.0", want: ErrDirtyTree, wantMsg: "zeta/zeta.go",
		},
		{
			name: "a tag that exists",
			prepare: func(f *fixture) {
				f.git("tag", "mid/v0.1.0")
			},
			version: "v0.1.0", want: ErrTagExists, wantMsg: "mid/v0.1.0",
		},
		{
			name:    "a newer release",
			prepare: func(f *fixture) { f.git("tag", "zeta/v0.3.0") },
			version: "v0.2.0", want: ErrNotNewer, wantMsg: "zeta/v0.3.0",
		},
		{
			name: "a cycle",
			prepare: func(f *fixture) {
				f.write("zeta/go.mod", "module example.com/rel/zeta\n\ngo 1.26\n\n"+
					"require example.com/rel/app v0.0.0-00010101000000-000000000000\n\n"+
					"replace example.com/rel/app => ../app\n")
				f.commit("zeta requires app")
			},
			version: "v0.1.0", want: ErrCycle, wantMsg: "app → mid → zeta → app",
		},
		{
			name: "a sibling requirement without a replace",
			prepare: func(f *fixture) {
				f.write("mid/go.mod", "module example.com/rel/mid\n\ngo 1.26\n\n"+
					"require example.com/rel/zeta v0.0.0-00010101000000-000000000000\n")
				f.commit("mid without its replace")
			},
			version: "v0.1.0", want: ErrNotReplaced, wantMsg: "replace example.com/rel/zeta => ../zeta",
		},
		{
			name: "a module that is not tidy",
			prepare: func(f *fixture) {
				// app imports mid and no longer requires it.
				f.write("app/go.mod", strings.Replace(fixtureFiles["app/go.mod"],
					"require example.com/rel/mid v0.0.0-00010101000000-000000000000\n", "", 1))
				f.commit("app forgets mid")
			},
			version: "v0.1.0", want: ErrNotTidy, wantMsg: "app",
		},
		{
			name: "a module that does not build",
			prepare: func(f *fixture) {
				f.write("mid/mid.go", strings.Replace(fixtureFiles["mid/mid.go"], "zeta.F()", `zeta.F() + "1"`, 1))
				f.commit("mid adds a string to an int")
			},
			version: "v0.1.0", want: ErrBuild, wantMsg: "mid",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if tt.prepare != nil {
				tt.prepare(f)
			}
			before := f.state()

			_, out, err := f.release(tt.version, false)

			require.ErrorIs(t, err, tt.want, out)
			assert.Contains(t, err.Error(), tt.wantMsg)
			assert.Equal(t, before, f.state(), "a refused release changes nothing")
		})
	}
}

func TestReleaseReportsARemovedFunctionAsIncompatible(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, out, err := f.release("v0.1.0", false)
	require.NoError(t, err, out)
	f.write("zeta/zeta.go", strings.Replace(fixtureFiles["zeta/zeta.go"],
		"// G is what a test removes.\nfunc G() int { return 2 }\n",
		"// K is new.\nfunc K() int { return 3 }\n", 1))
	f.commit("zeta: G goes, K comes")

	res, out, err := f.release("v0.2.0", true)
	require.NoError(t, err, out, "below v1 an incompatible change is reported, not refused")

	byDir := make(map[string]APIReport)
	for _, r := range res.APIReports {
		byDir[r.Module.Dir] = r
	}
	assert.Equal(t, "v0.1.0", byDir["zeta"].Previous)
	assert.Equal(t, []string{"G: removed"}, byDir["zeta"].Incompatible)
	assert.Equal(t, []string{"K: added"}, byDir["zeta"].Compatible)
	assert.Empty(t, byDir["mid"].Incompatible)
	assert.Contains(t, out, "zeta v0.1.0 → v0.2.0:\n    incompatible: G: removed\n    compatible:   K: added\n")
	assert.Contains(t, out, "mid v0.1.0 → v0.2.0: no change")
}

func TestReleaseRefusesAnIncompatibleChangeWithinAMajorVersionFromV1(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, out, err := f.release("v1.0.0", false)
	require.NoError(t, err, out)
	f.write("zeta/zeta.go", strings.Replace(fixtureFiles["zeta/zeta.go"], "func G() int { return 2 }\n", "", 1))
	f.commit("zeta: G goes")
	before := f.state()

	_, out, err = f.release("v1.1.0", false)

	require.ErrorIs(t, err, ErrIncompatible, out)
	assert.Contains(t, err.Error(), "zeta (v1.0.0 → v1.1.0)")
	assert.Contains(t, out, "incompatible: G: removed")
	assert.Equal(t, before, f.state())
}
