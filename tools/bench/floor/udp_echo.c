/*
 * udp_echo: the floor of the plain UDP echo benchmark. One thread on a blocking socket:
 * recvfrom(2) one datagram, sendto(2) it back to its sender; two system calls a datagram
 * and nothing else.
 *
 *   udp_echo PORT [ADDRESS]     binds ADDRESS (default 127.0.0.1), port PORT
 *
 * Bounded: one 64 KiB buffer, the largest datagram. A reply the kernel cannot send is
 * dropped, as UDP allows. SIGTERM and SIGINT end it by their default action: the kernel
 * closes the socket, and there is nothing else to release.
 */
#include "floor.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

static char buf[64 * 1024];

int main(int argc, char **argv)
{
	int fd = floor_socket("udp_echo", SOCK_DGRAM | SOCK_CLOEXEC, argc, argv);
	floor_ready("udp_echo", argc, argv);
	for (;;) {
		struct sockaddr_storage peer;
		socklen_t peer_len = sizeof peer;
		ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &peer_len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("recvfrom");
			return 1;
		}
		/* A failed send is a lost datagram, which the load generator counts. */
		(void)sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, peer_len);
	}
}
