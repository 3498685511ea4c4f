/*
 * tcp_echo: the floor of the TCP echo benchmarks. One thread, level-triggered epoll; a
 * readable connection gets one read(2) into a 64 KiB buffer and one write(2) of what was
 * read: the fewest system calls an echo over epoll can make. Nothing built on the same
 * kernel path can cost much less per message.
 *
 *   tcp_echo PORT [ADDRESS]     listens on ADDRESS (default 127.0.0.1), port PORT
 *
 * Bounded: one shared read buffer; a connection whose write was short keeps the unsent rest
 * (at most one read) and is not read again until it is flushed; at most 64 accepts and 256
 * events per turn. When accept(2) runs out of descriptors, the listener leaves the epoll set
 * for 10 ms instead of waking it over and over. SIGPIPE is ignored: a write to a connection
 * the peer reset fails with EPIPE and closes it. SIGTERM and SIGINT end it by their default
 * action: the kernel closes every socket, and there is nothing else to release.
 */
#define _GNU_SOURCE
#include "floor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
	READ_BYTES = 64 * 1024,
	MAX_EVENTS = 256,
	ACCEPTS_PER_TURN = 64,
	ACCEPT_PAUSE_MS = 10,
};

/* pending is what a short write left unsent: malloc'ed, at most one read's worth. */
struct conn {
	char *pending;
	size_t off, len;
};

static char buf[READ_BYTES];
static struct conn *conns; /* indexed by descriptor */
static size_t max_fds;
static int epfd, listen_fd;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void watch(int op, int fd, unsigned events)
{
	struct epoll_event ev = {.events = events, .data.fd = fd};
	if (epoll_ctl(epfd, op, fd, &ev) < 0)
		die("epoll_ctl");
}

static void close_conn(int fd)
{
	free(conns[fd].pending);
	conns[fd] = (struct conn){0};
	close(fd); /* also leaves the epoll set */
}

/* accept_some takes up to ACCEPTS_PER_TURN connections; it returns 0 when the process ran out
 * of descriptors, so the caller pauses the listener. */
static int accept_some(void)
{
	for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				return 0;
			if (errno != EAGAIN && errno != ECONNABORTED && errno != EINTR && errno != EPROTO)
				die("accept4");
			return 1;
		}
		if ((size_t)fd >= max_fds) { /* cannot happen below RLIMIT_NOFILE; refuse it */
			close(fd);
			continue;
		}
		watch(EPOLL_CTL_ADD, fd, EPOLLIN);
	}
	return 1;
}

/* flush writes what a short write left; once all is out the connection is read again. */
static void flush(int fd)
{
	struct conn *c = &conns[fd];
	ssize_t n = write(fd, c->pending + c->off, c->len - c->off);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			close_conn(fd);
		return;
	}
	c->off += (size_t)n;
	if (c->off == c->len) {
		free(c->pending);
		*c = (struct conn){0};
		watch(EPOLL_CTL_MOD, fd, EPOLLIN);
	}
}

/* echo reads once and writes back what it read. */
static void echo(int fd)
{
	ssize_t n = read(fd, buf, sizeof buf);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			close_conn(fd);
		return;
	}
	ssize_t w = write(fd, buf, (size_t)n);
	if (w < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			close_conn(fd);
			return;
		}
		w = 0;
	}
	if (w == n)
		return;
	struct conn *c = &conns[fd];
	c->len = (size_t)(n - w);
	c->off = 0;
	c->pending = malloc(c->len);
	if (c->pending == NULL)
		die("malloc");
	memcpy(c->pending, buf + w, c->len);
	watch(EPOLL_CTL_MOD, fd, EPOLLOUT);
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit");
	max_fds = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 20) ? (1u << 20) : (size_t)rl.rlim_cur;
	/* Pages are touched only as descriptors reach them. */
	conns = calloc(max_fds, sizeof *conns);
	if (conns == NULL)
		die("calloc");

	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		die("signal");
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		die("epoll_create1");
	listen_fd = floor_socket("tcp_echo", SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, argc, argv);
	if (listen(listen_fd, 4096) < 0)
		die("listen");
	watch(EPOLL_CTL_ADD, listen_fd, EPOLLIN);
	floor_ready("tcp_echo", argc, argv);

	struct epoll_event events[MAX_EVENTS];
	long long paused_until = 0; /* while not 0, the listener is out of the epoll set */
	for (;;) {
		int timeout = -1;
		if (paused_until != 0) {
			long long left = paused_until - now_ms();
			timeout = left > 0 ? (int)left : 0;
		}
		int n = epoll_wait(epfd, events, MAX_EVENTS, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		if (paused_until != 0 && now_ms() >= paused_until) {
			watch(EPOLL_CTL_ADD, listen_fd, EPOLLIN);
			paused_until = 0;
		}
		for (int i = 0; i < n; i++) {
			int fd = events[i].data.fd;
			if (fd == listen_fd) {
				if (paused_until == 0 && !accept_some()) {
					watch(EPOLL_CTL_DEL, listen_fd, 0);
					paused_until = now_ms() + ACCEPT_PAUSE_MS;
				}
			} else if (conns[fd].pending != NULL) {
				flush(fd);
			} else {
				echo(fd);
			}
		}
	}
}
