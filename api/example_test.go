package api_test

import (
	"fmt"

	"github.com/gnetio/gnet/api"
)

// greeter overrides only the callbacks it needs; EventServer supplies the rest.
type greeter struct {
	api.EventServer
}

func (greeter) OnOpened(c api.Conn) ([]byte, api.Action) {
	return []byte("welcome\n"), api.None
}

func (greeter) React(frame []byte, c api.Conn) api.Action {
	if string(frame) == "quit" {
		return api.Close
	}
	return api.None
}

// Embedding EventServer gives a handler every callback; override the ones you need.
func ExampleEventServer() {
	var h api.EventHandler = &greeter{}
	out, action := h.OnOpened(nil)
	fmt.Printf("OnOpened: %q %v\n", out, action)
	fmt.Println("React(hi):", h.React([]byte("hi"), nil))
	fmt.Println("React(quit):", h.React([]byte("quit"), nil))
	delay, action := h.Tick() // from EventServer
	fmt.Println("Tick:", delay, action)
	// Output:
	// OnOpened: "welcome\n" None
	// React(hi): None
	// React(quit): Close
	// Tick: 0s None
}
