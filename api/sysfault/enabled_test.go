//go:build gnetfaults

package sysfault_test

import (
	"syscall"
	"testing"

	"github.com/gnetio/gnet/api/sysfault"
)

func TestInstallPutsTheInjectorInPlaceAndUninstallRestoresThePreviousOne(t *testing.T) {
	if !sysfault.Enabled {
		t.Fatal("Enabled is false in a gnetfaults build")
	}
	if f := sysfault.Check(sysfault.Call{Op: sysfault.OpRead}); f != (sysfault.Fault{}) {
		t.Fatalf("with nothing installed Check = %+v", f)
	}
	outer := sysfault.Install(sysfault.InjectorFunc(func(sysfault.Call) sysfault.Fault {
		return sysfault.Fault{Errno: syscall.EINTR}
	}))
	inner := sysfault.Install(sysfault.InjectorFunc(func(sysfault.Call) sysfault.Fault {
		return sysfault.Fault{Errno: syscall.EAGAIN}
	}))
	if f := sysfault.Check(sysfault.Call{Op: sysfault.OpRead}); f.Errno != syscall.EAGAIN {
		t.Fatalf("inner injector: got %+v", f)
	}
	inner()
	if f := sysfault.Check(sysfault.Call{Op: sysfault.OpRead}); f.Errno != syscall.EINTR {
		t.Fatalf("after the inner uninstall: got %+v", f)
	}
	undoNil := sysfault.Install(nil)
	if f := sysfault.Check(sysfault.Call{Op: sysfault.OpRead}); f != (sysfault.Fault{}) {
		t.Fatalf("nil installed: got %+v", f)
	}
	undoNil()
	outer()
	if f := sysfault.Check(sysfault.Call{Op: sysfault.OpRead}); f != (sysfault.Fault{}) {
		t.Fatalf("after every uninstall: got %+v", f)
	}
}
