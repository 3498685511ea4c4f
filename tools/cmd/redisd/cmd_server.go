package main

import (
	"path"
	"sort"
	"strings"

	"github.com/gnetio/gnet/tools/internal/resp"
)

// PING [message]
func (s *session) ping() {
	switch len(s.argv) {
	case 1:
		s.reply = append(s.reply, "+PONG\r\n"...)
	case 2:
		s.bulk(s.argv[1])
	default:
		s.wrongArity("ping")
	}
}

// ECHO message
func (s *session) echo() { s.bulk(s.argv[1]) }

// SELECT index: there is one database, 0.
func (s *session) selectDB() {
	index, ok := resp.ParseInt(s.argv[1])
	switch {
	case !ok:
		s.errorReply(errNotInteger)
	case index != int64(int32(index)):
		s.errorReply(errNotInt32)
	case index != 0:
		s.errorReply(errDBIndex)
	default:
		s.ok()
	}
}

// QUIT: reply, then close once the reply is written; later commands are not executed.
func (s *session) quitCommand() {
	s.ok()
	s.quit = true
}

// DBSIZE
func (s *session) dbsize() { s.integer(int64(s.srv.store.Len())) }

// FLUSHALL [ASYNC|SYNC]: both mean at once here.
func (s *session) flushall() {
	if len(s.argv) > 2 || (len(s.argv) == 2 && !isWord(s.argv[1], "async") && !isWord(s.argv[1], "sync")) {
		s.errorReply(errSyntax)
		return
	}
	s.srv.store.Flush()
	s.ok()
}

// COMMAND [COUNT | DOCS [name...]]: enough for redis-cli and redis-benchmark. COMMAND lists
// every command with its arity and key positions (flags, ACL categories, tips, key specs and
// subcommands left empty); DOCS has no documentation to give and answers an empty map.
func (s *session) commandCommand() {
	if len(s.argv) == 1 {
		s.commandList()
		return
	}
	switch {
	case isWord(s.argv[1], "count"):
		if len(s.argv) != 2 {
			s.wrongArity("command|count")
			return
		}
		s.integer(int64(len(s.srv.commands)))
	case isWord(s.argv[1], "docs"):
		s.reply = resp.AppendArrayHeader(s.reply, 0)
	default:
		s.unknownSubcommand()
	}
}

func (s *session) commandList() {
	names := make([]string, 0, len(s.srv.commands))
	for name := range s.srv.commands {
		names = append(names, name)
	}
	sort.Strings(names)
	s.reply = resp.AppendArrayHeader(s.reply, len(names))
	for _, name := range names {
		cmd := s.srv.commands[name]
		s.reply = resp.AppendArrayHeader(s.reply, 10)
		s.reply = resp.AppendBulk(s.reply, cmd.name)
		s.reply = resp.AppendInt(s.reply, int64(cmd.arity))
		s.reply = resp.AppendArrayHeader(s.reply, 0)
		s.reply = resp.AppendInt(s.reply, int64(cmd.firstKey))
		s.reply = resp.AppendInt(s.reply, int64(cmd.lastKey))
		s.reply = resp.AppendInt(s.reply, int64(cmd.keyStep))
		for range 4 {
			s.reply = resp.AppendArrayHeader(s.reply, 0)
		}
	}
}

// configParameters are the parameters CONFIG GET knows, with the values of a server that
// never persists: what redis-benchmark asks for before it starts.
var configParameters = []struct{ name, value string }{
	{name: "save", value: ""},
	{name: "appendonly", value: "no"},
}

// CONFIG GET parameter [parameter...]: the parameters named, or matching a glob-style
// pattern, each once, as Redis answers: a parameter named exactly is quoted as the client
// spelled it, one matched by a pattern by its own name. Other subcommands are unknown.
func (s *session) configCommand() {
	if !isWord(s.argv[1], "get") {
		s.unknownSubcommand()
		return
	}
	if len(s.argv) < 3 {
		s.wrongArity("config|get")
		return
	}
	var matched []int
	var names []string
	for _, arg := range s.argv[2:] {
		pattern := strings.ToLower(string(arg))
		isPattern := strings.ContainsAny(pattern, "[*?")
		for i, parameter := range configParameters {
			if contains(matched, i) {
				continue
			}
			if isPattern {
				if ok, err := path.Match(pattern, parameter.name); err == nil && ok {
					matched, names = append(matched, i), append(names, parameter.name)
				}
			} else if pattern == parameter.name {
				matched, names = append(matched, i), append(names, string(arg))
			}
		}
	}
	s.reply = resp.AppendArrayHeader(s.reply, 2*len(matched))
	for j, i := range matched {
		s.reply = resp.AppendBulk(s.reply, names[j])
		s.reply = resp.AppendBulk(s.reply, configParameters[i].value)
	}
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
