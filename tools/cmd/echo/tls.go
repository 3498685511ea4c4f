package main

import (
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/gnetio/gnet/api"
)

// The STARTTLS dialogue of -starttls: a greeting on connect, the command a client sends to
// ask for TLS, and the plaintext answer that precedes the handshake.
const (
	startTLSGreeting = "220 ready\n"
	startTLSCommand  = "STARTTLS"
	startTLSGoAhead  = "220 go ahead\n"
)

// loadTLSConfig reads the certificate and key named by -tls-cert and -tls-key. It returns
// nil when neither is set: the server speaks plaintext.
func loadTLSConfig(certFile, keyFile string) (*tls.Config, error) {
	switch {
	case certFile == "" && keyFile == "":
		return nil, nil
	case certFile == "" || keyFile == "":
		return nil, errors.New("-tls-cert and -tls-key go together")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS key pair: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
}

// startTLSServer is the echo server of -starttls: lines are echoed in plaintext until the
// client sends STARTTLS, and encrypted after it.
type startTLSServer struct {
	echoServer
	config *tls.Config
}

// upgraded is the connection context once STARTTLS has been answered, so that a later
// STARTTLS line is echoed like any other.
type upgraded struct{}

func (s *startTLSServer) OnOpened(c api.Conn) ([]byte, api.Action) {
	return []byte(startTLSGreeting), api.None
}

func (s *startTLSServer) React(frame []byte, c api.Conn) api.Action {
	if _, done := c.Context().(upgraded); done || string(frame) != startTLSCommand {
		return s.echoServer.React(frame, c)
	}
	// The go-ahead must leave in plaintext, so it is written before the upgrade.
	if err := c.WriteNoCodec([]byte(startTLSGoAhead)); err != nil {
		return api.Close
	}
	if err := c.UpgradeTls(s.config); err != nil {
		return api.Close
	}
	c.SetContext(upgraded{})
	return api.None
}
