package fleet

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/testsuite/echoload"
	"github.com/gnetio/gnet/tools/internal/haproxy"
)

// backendFor is the HAProxy backend of docs/fleet.md for the fleet: round robin; a connect
// that fails is retried, each time on another server; every server is checked every 200 ms
// with a line it must echo within a second, down after 2 failed checks and up after 2 good
// ones; connections and checks begin with a PROXY protocol version 2 header (a check's says
// LOCAL).
func backendFor(fleet []*instance) string {
	var b strings.Builder
	b.WriteString(`balance roundrobin
retries 3
option redispatch 1
option tcp-check
tcp-check connect default linger
tcp-check send fleet-check\n
tcp-check expect string fleet-check
timeout check 1s
default-server send-proxy-v2 check inter 200ms fall 2 rise 2
`)
	for _, in := range fleet {
		fmt.Fprintf(&b, "server %s %s\n", in.name, in.addr)
	}
	return b.String()
}

func TestFleetBehindHAProxyRestartsEachServerLosingNoRequestAndOutlivesOneKilled(t *testing.T) {
	haproxy.Require(t)
	becomeSubreaper(t)
	fleet := []*instance{
		startInstance(t, "e1", "127.0.0.2"),
		startInstance(t, "e2", "127.0.0.3"),
		startInstance(t, "e3", "127.0.0.4"),
	}
	proxy := haproxy.Start(t, haproxy.Config{Backend: backendFor(fleet)})
	for _, in := range fleet {
		proxy.WaitStatus(t, in.name, "UP")
	}

	restartEachUnderLoad(t, proxy, fleet)
	survivors := killOneUnderLoad(t, proxy, fleet, fleet[1])

	for _, in := range survivors {
		in.stop(t)
	}
	for _, in := range fleet {
		require.Zero(t, in.log.count("refusing connection"), "%s refused a PROXY protocol header:\n%s", in.name, in.log)
		require.Zero(t, in.log.count("restart failed"), "%s failed to restart:\n%s", in.name, in.log)
	}
}

// restartEachUnderLoad restarts every instance in turn with SIGUSR2 while clients on fresh
// connections through HAProxy send requests and check every reply, and proves that no request
// was refused or lost, every reply was right, HAProxy never failed to connect to a server, and
// every new process served.
func restartEachUnderLoad(t *testing.T, proxy *haproxy.Proxy, fleet []*instance) {
	t.Helper()
	const (
		clients = 32
		// warmUp answers come before the first restart, and perRestart after each, so that
		// every restart happens under load and every new process serves some of it.
		warmUp     = 1000
		perRestart = 1000
	)
	var tl echoload.Tally
	stop := make(chan struct{})
	var load sync.WaitGroup
	for client := range clients {
		load.Go(func() { tl.ConverseOnFreshConnections(proxy.Addr.String(), client, stop) })
	}
	stopLoad := sync.OnceFunc(func() {
		close(stop)
		load.Wait() // bounded: every conversation has a deadline
	})
	defer stopLoad()
	tl.WaitAnswers(t, warmUp)

	sessionsAfterRestart := make(map[string]int64)
	for _, in := range fleet {
		oldPid := in.current.pid
		in.restart(t)
		sessionsAfterRestart[in.name] = proxy.Servers(t)[in.name].Total
		t.Logf("%s restarted: pid %d handed over to %d", in.name, oldPid, in.current.pid)
		tl.WaitAnswers(t, tl.Answered.Load()+perRestart)
	}
	stopLoad()

	servers := proxy.Servers(t)
	t.Logf("restarts under load: %v; HAProxy: %+v", &tl, servers)
	tl.RequireEveryRequestAccounted(t)
	require.Zero(t, tl.Refused.Load(), "connections refused; %v", &tl)
	require.Zero(t, tl.Lost(), "requests lost or answered wrong; %v", &tl)
	for _, in := range fleet {
		s := servers[in.name]
		require.Zero(t, s.ConnectErrors+s.Retries+s.Redispatches,
			"%s: HAProxy's connects failed, retried or redispatched: %+v", in.name, s)
		require.Greater(t, s.Total, sessionsAfterRestart[in.name], "%s's new process served no session", in.name)
	}
}

// killOneUnderLoad kills victim with SIGKILL while clients hold a connection to each server, and
// proves that exactly the connections that were on it fail, that the others carry on, and that
// once HAProxy has marked it down every new connection succeeds on the others and none reaches
// it. It returns the instances still serving.
func killOneUnderLoad(t *testing.T, proxy *haproxy.Proxy, fleet []*instance, victim *instance) []*instance {
	t.Helper()
	const (
		held = 30 // connections kept open across the kill
		// afterDown new connections, one request each, are made once the victim is down.
		afterDown = 150
		// carryOn requests go on each surviving held connection after the kill.
		carryOn = 5
	)
	var tl echoload.Tally
	conns := make([]net.Conn, 0, held)
	defer func() {
		for _, conn := range conns {
			_ = conn.Close() // the test is over with it, whatever became of it
		}
	}()
	for i := range held {
		conn, err := tl.Dial(proxy.Addr.String())
		require.NoError(t, err)
		conns = append(conns, conn)
		require.Equal(t, echoload.Answered, tl.Exchange(conn, echoload.Request(i, 0)), "%v", &tl)
	}
	servers := waitSessions(t, proxy, held)
	onVictim := servers[victim.name].Current
	require.Positive(t, onVictim, "sessions on %s before the kill: %+v", victim.name, servers)

	victim.kill(t)

	var afterKill echoload.Tally
	var survived []net.Conn
	for i, conn := range conns {
		if afterKill.Exchange(conn, echoload.Request(i, 1)) == echoload.Answered {
			survived = append(survived, conn)
		}
	}
	t.Logf("%s killed holding %d of %d sessions: %v", victim.name, onVictim, held, &afterKill)
	require.Equal(t, onVictim, afterKill.ClosedBeforeReply.Load(),
		"the connections that failed are those that were on %s; %v", victim.name, &afterKill)
	require.Equal(t, held-onVictim, afterKill.Answered.Load(), "every other connection carries on; %v", &afterKill)
	require.Zero(t, afterKill.Lost(), "%v", &afterKill)
	for i, conn := range survived {
		for seq := range int64(carryOn) {
			require.Equal(t, echoload.Answered, afterKill.Exchange(conn, echoload.Request(i, 2+seq)), "%v", &afterKill)
		}
	}

	down := proxy.WaitStatus(t, victim.name, "DOWN")
	require.Equal(t, int64(1), down[victim.name].CheckDowns, "%s went down once", victim.name)
	var fresh echoload.Tally
	for i := range afterDown {
		conn, err := fresh.Dial(proxy.Addr.String())
		require.NoError(t, err, "%v", &fresh)
		fresh.Exchange(conn, echoload.Request(i, 0))
		require.NoError(t, conn.Close())
	}
	after := proxy.Servers(t)
	t.Logf("after %s was marked down: %v; HAProxy: %+v", victim.name, &fresh, after)
	require.Equal(t, int64(afterDown), fresh.Answered.Load(), "every new connection is served; %v", &fresh)
	require.Equal(t, down[victim.name].Total, after[victim.name].Total, "HAProxy sent %s nothing once it was down", victim.name)
	var survivors []*instance
	var servedBySurvivors int64
	for _, in := range fleet {
		if in != victim {
			survivors = append(survivors, in)
			servedBySurvivors += after[in.name].Total - down[in.name].Total
		}
	}
	require.Equal(t, int64(afterDown), servedBySurvivors, "the other servers took every new connection")
	return survivors
}

// waitSessions waits until HAProxy's servers hold n sessions in all, those of the test's
// clients and no other, and returns the servers then.
func waitSessions(t *testing.T, proxy *haproxy.Proxy, n int64) map[string]haproxy.Server {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		servers := proxy.Servers(t)
		var sessions int64
		for _, s := range servers {
			sessions += s.Current
		}
		if sessions == n {
			return servers
		}
		if time.Now().After(deadline) {
			t.Fatalf("HAProxy's servers hold %d sessions, not %d, after %v: %+v", sessions, n, waitLimit, servers)
		}
		time.Sleep(pollEvery)
	}
}
