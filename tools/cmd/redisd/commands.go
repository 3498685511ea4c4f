package main

import (
	"bytes"
	"strings"

	"github.com/gnetio/gnet/tools/internal/resp"
)

// command is one command the server knows, described as Redis describes it.
type command struct {
	// name is the command's lower-case name, as error replies quote it ("config|get" for a
	// subcommand).
	name string
	// arity is the number of arguments, the name included; -n means at least n.
	arity int
	// firstKey, lastKey and keyStep locate the key arguments, for COMMAND (lastKey -1: the
	// last argument).
	firstKey, lastKey, keyStep int
	// run executes the command once its arity has been checked, writing its reply.
	run func(s *session)
}

// acceptsArgc reports whether argc arguments (the name included) suit the command's arity.
func (cmd *command) acceptsArgc(argc int) bool {
	if cmd.arity >= 0 {
		return argc == cmd.arity
	}
	return argc >= -cmd.arity
}

// commandTable finds commands by name, whatever their case.
type commandTable map[string]*command

// maxCommandName is the longest command name looked up; longer ones are unknown.
const maxCommandName = 32

// lookup returns the command called name, in any case, or nil.
func (t commandTable) lookup(name []byte) *command {
	// hot path: no allocation
	if len(name) > maxCommandName {
		return nil
	}
	var lower [maxCommandName]byte
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return t[string(lower[:len(name)])]
}

// newCommandTable returns every command the server serves.
func newCommandTable() commandTable {
	commands := []*command{
		{name: "ping", arity: -1, run: (*session).ping},
		{name: "echo", arity: 2, run: (*session).echo},
		{name: "select", arity: 2, run: (*session).selectDB},
		{name: "quit", arity: -1, run: (*session).quitCommand},
		{name: "command", arity: -1, run: (*session).commandCommand},
		{name: "config", arity: -2, run: (*session).configCommand},
		{name: "dbsize", arity: 1, run: (*session).dbsize},
		{name: "flushall", arity: -1, run: (*session).flushall},

		{name: "get", arity: 2, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).get},
		{name: "set", arity: -3, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).set},
		{name: "mget", arity: -2, firstKey: 1, lastKey: -1, keyStep: 1, run: (*session).mget},
		{name: "mset", arity: -3, firstKey: 1, lastKey: -1, keyStep: 2, run: (*session).mset},
		{name: "incr", arity: 2, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).incr},
		{name: "decr", arity: 2, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).decr},
		{name: "incrby", arity: 3, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).incrby},
		{name: "decrby", arity: 3, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).decrby},

		{name: "del", arity: -2, firstKey: 1, lastKey: -1, keyStep: 1, run: (*session).del},
		{name: "exists", arity: -2, firstKey: 1, lastKey: -1, keyStep: 1, run: (*session).exists},
		{name: "expire", arity: -3, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).expire},
		{name: "pexpire", arity: -3, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).pexpire},
		{name: "ttl", arity: 2, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).ttl},
		{name: "pttl", arity: 2, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).pttl},

		{name: "lpush", arity: -3, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).lpush},
		{name: "rpush", arity: -3, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).rpush},
		{name: "lpop", arity: -2, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).lpop},
		{name: "rpop", arity: -2, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).rpop},
		{name: "llen", arity: 2, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).llen},
		{name: "lrange", arity: 4, firstKey: 1, lastKey: 1, keyStep: 1, run: (*session).lrange},
	}
	table := make(commandTable, len(commands))
	for _, cmd := range commands {
		table[cmd.name] = cmd
	}
	return table
}

// execute runs the command in s.argv.
func (s *session) execute() {
	// hot path: no allocation
	cmd := s.lastCommand
	// Pipelines repeat one command more often than not: comparing with the last one found
	// is cheaper than hashing the name.
	if cmd == nil || !isWord(s.argv[0], cmd.name) {
		if cmd = s.srv.commands.lookup(s.argv[0]); cmd == nil {
			s.unknownCommand()
			return
		}
		s.lastCommand = cmd
	}
	if !cmd.acceptsArgc(len(s.argv)) {
		s.wrongArity(cmd.name)
		return
	}
	cmd.run(s)
}

// Error replies, in Redis's words.
const (
	errSyntax       = "ERR syntax error"
	errNotInteger   = "ERR value is not an integer or out of range"
	errOverflow     = "ERR increment or decrement would overflow"
	errDecrOverflow = "ERR decrement would overflow"
	errWrongType    = "WRONGTYPE Operation against a key holding the wrong kind of value"
	errDBIndex      = "ERR DB index is out of range"
	errNotPositive  = "ERR value is out of range, must be positive"
	errNotInt32     = "ERR value is out of range, value must between -2147483648 and 2147483647"
	errExpireNX     = "ERR NX and XX, GT or LT options at the same time are not compatible"
	errExpireGTLT   = "ERR GT and LT options at the same time are not compatible"
)

// maxQuotedArgLength is how much of a client's arguments an error reply quotes, as Redis's
// "%.128s" does.
const maxQuotedArgLength = 128

// wrongArity replies that name was given the wrong number of arguments.
func (s *session) wrongArity(name string) {
	s.reply = append(s.reply, "-ERR wrong number of arguments for '"...)
	s.reply = append(s.reply, name...)
	s.reply = append(s.reply, "' command\r\n"...)
}

// invalidExpireTime replies that the expiry given to name is out of range.
func (s *session) invalidExpireTime(name string) {
	s.reply = append(s.reply, "-ERR invalid expire time in '"...)
	s.reply = append(s.reply, name...)
	s.reply = append(s.reply, "' command\r\n"...)
}

// unknownCommand replies as Redis 7 does to a command it does not know, quoting the name and
// the first arguments, up to 128 bytes of them.
func (s *session) unknownCommand() {
	s.reply = append(s.reply, "-ERR unknown command '"...)
	s.reply = resp.AppendSanitized(s.reply, quoted(s.argv[0], maxQuotedArgLength))
	s.reply = append(s.reply, "', with args beginning with: "...)
	quotedLength := 0
	for _, arg := range s.argv[1:] {
		if quotedLength >= maxQuotedArgLength {
			break
		}
		arg = quoted(arg, maxQuotedArgLength-quotedLength)
		s.reply = append(s.reply, '\'')
		s.reply = resp.AppendSanitized(s.reply, arg)
		s.reply = append(s.reply, '\'', ' ')
		quotedLength += len(arg) + 3
	}
	s.reply = append(s.reply, '\r', '\n')
}

// unknownSubcommand replies as Redis does to a subcommand it does not know.
func (s *session) unknownSubcommand() {
	s.reply = append(s.reply, "-ERR unknown subcommand '"...)
	s.reply = resp.AppendSanitized(s.reply, quoted(s.argv[1], maxQuotedArgLength))
	s.reply = append(s.reply, "'. Try "...)
	s.reply = resp.AppendSanitized(s.reply, strings.ToUpper(string(s.argv[0])))
	s.reply = append(s.reply, " HELP.\r\n"...)
}

// quoted returns what C's "%.*s" prints of arg: up to limit bytes, and nothing from its first
// NUL byte on.
func quoted(arg []byte, limit int) []byte {
	if nul := bytes.IndexByte(arg, 0); nul >= 0 {
		arg = arg[:nul]
	}
	return arg[:min(len(arg), limit)]
}

// isWord reports whether arg is word, ignoring ASCII case.
func isWord(arg []byte, word string) bool {
	// hot path: no allocation
	if len(arg) != len(word) {
		return false
	}
	for i, c := range arg {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[i] {
			return false
		}
	}
	return true
}
