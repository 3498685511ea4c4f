/*
 * udp_gro_echo: the floor of the UDP echo benchmarks where datagrams come in bursts per peer.
 * One thread on a blocking socket with UDP_GRO on:
 *
 *  - recvmmsg(2) with MSG_WAITFORONE takes whatever is queued, up to 32 receives; a GSO burst
 *    of a peer arrives whole, as one receive whose UDP_GRO control message gives the size of
 *    the datagrams in it (the last one may be shorter);
 *  - each receive is split back into its datagrams;
 *  - every peer's datagrams of one recvmmsg are answered with one sendmsg(2) carrying
 *    UDP_SEGMENT (GSO): one system call and one trip through the stack for the lot (at most
 *    64 datagrams and 65507 bytes a send, the kernel's limits); when a peer's replies differ in
 *    size beyond a shorter last one, which one GSO send cannot carry, they go by sendmmsg(2),
 *    one datagram an entry.
 *
 *   udp_gro_echo PORT [ADDRESS]     binds ADDRESS (default 127.0.0.1), port PORT
 *
 * Bounded: 32 receive buffers of 64 KiB. A reply the kernel cannot send is dropped, as UDP
 * allows. SIGTERM and SIGINT end it by their default action: the kernel closes the socket,
 * and there is nothing else to release.
 */
#define _GNU_SOURCE
#include "floor.h"

#include <errno.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

enum {
	RECEIVES = 32,
	RECEIVE_BYTES = 64 * 1024,
	/* A receive holds at most one GSO send of the client: 128 datagrams since Linux 6.12. */
	MAX_DATAGRAMS = RECEIVES * 128,
	MAX_SEGMENTS = 64,          /* UDP_MAX_SEGMENTS until Linux 6.12 */
	MAX_SEND_BYTES = 65535 - 28 /* an IPv4 UDP datagram's largest payload */
};

static char bufs[RECEIVES][RECEIVE_BYTES];
static struct iovec recv_iov[RECEIVES];
static struct mmsghdr recv_msgs[RECEIVES];
static struct sockaddr_in peers[RECEIVES];
static char recv_ctrl[RECEIVES][CMSG_SPACE(sizeof(int))];
static char answered[RECEIVES];

/* The datagrams of one peer, in the order they came. */
static struct iovec out_iov[MAX_DATAGRAMS];
static struct mmsghdr out_msgs[MAX_DATAGRAMS];

/* segment_size returns the size of the datagrams receive i holds, from its UDP_GRO control
 * message; without one it holds a single datagram. */
static size_t segment_size(int i)
{
	struct msghdr *h = &recv_msgs[i].msg_hdr;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
			int size;
			memcpy(&size, CMSG_DATA(c), sizeof size);
			if (size > 0)
				return (size_t)size;
		}
	}
	return recv_msgs[i].msg_len;
}

static int same_peer(int a, int b)
{
	return peers[a].sin_port == peers[b].sin_port && peers[a].sin_addr.s_addr == peers[b].sin_addr.s_addr;
}

/* collect gathers the datagrams of receives first.. from the peer of receive first into
 * out_iov, marks those receives answered, and returns how many datagrams there are. */
static int collect(int first, int received)
{
	int n = 0;
	for (int i = first; i < received; i++) {
		if (answered[i] || !same_peer(first, i))
			continue;
		answered[i] = 1;
		size_t len = recv_msgs[i].msg_len, size = segment_size(i);
		if (len == 0 && n < MAX_DATAGRAMS) { /* an empty datagram, echoed as one */
			out_iov[n++] = (struct iovec){.iov_base = bufs[i], .iov_len = 0};
			continue;
		}
		for (size_t off = 0; off < len && n < MAX_DATAGRAMS; off += size) {
			size_t part = len - off < size ? len - off : size;
			out_iov[n++] = (struct iovec){.iov_base = bufs[i] + off, .iov_len = part};
		}
	}
	return n;
}

/* one_gso_size returns the size every datagram of out_iov[0..n) has but the last, which may
 * be shorter: the segment size of a GSO send; 0 when they differ otherwise. */
static size_t one_gso_size(int n)
{
	size_t size = out_iov[0].iov_len;
	for (int i = 1; i < n; i++) {
		if (out_iov[i].iov_len > size || (out_iov[i].iov_len < size && i != n - 1))
			return 0;
	}
	return size;
}

/* send_gso sends out_iov[0..n), all of size bytes but a shorter last one, to peer with GSO
 * sends of at most MAX_SEGMENTS datagrams and MAX_SEND_BYTES bytes. */
static void send_gso(int fd, struct sockaddr_in *peer, int n, size_t size)
{
	int per_send = (int)(MAX_SEND_BYTES / size);
	if (per_send > MAX_SEGMENTS)
		per_send = MAX_SEGMENTS;
	char ctrl[CMSG_SPACE(sizeof(uint16_t))];
	for (int start = 0; start < n; start += per_send) {
		int count = n - start < per_send ? n - start : per_send;
		struct msghdr h = {
			.msg_name = peer,
			.msg_namelen = sizeof *peer,
			.msg_iov = &out_iov[start],
			.msg_iovlen = (size_t)count,
		};
		if (count > 1) {
			memset(ctrl, 0, sizeof ctrl);
			h.msg_control = ctrl;
			h.msg_controllen = sizeof ctrl;
			struct cmsghdr *c = CMSG_FIRSTHDR(&h);
			c->cmsg_level = SOL_UDP;
			c->cmsg_type = UDP_SEGMENT;
			c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
			uint16_t segment = (uint16_t)size;
			memcpy(CMSG_DATA(c), &segment, sizeof segment);
		}
		/* A failed send is lost datagrams, which the load generator counts. */
		(void)sendmsg(fd, &h, 0);
	}
}

/* send_each sends out_iov[0..n) to peer one datagram an entry of sendmmsg. */
static void send_each(int fd, struct sockaddr_in *peer, int n)
{
	for (int i = 0; i < n; i++) {
		out_msgs[i].msg_hdr = (struct msghdr){
			.msg_name = peer,
			.msg_namelen = sizeof *peer,
			.msg_iov = &out_iov[i],
			.msg_iovlen = 1,
		};
	}
	for (int sent = 0; sent < n;) {
		int r = sendmmsg(fd, &out_msgs[sent], (unsigned)(n - sent), 0);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			/* The entry that failed is dropped, as UDP allows; the rest still go. */
			r = 1;
		}
		sent += r;
	}
}

int main(int argc, char **argv)
{
	int fd = floor_socket("udp_gro_echo", SOCK_DGRAM | SOCK_CLOEXEC, argc, argv);
	int one = 1;
	if (setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one) < 0) {
		perror("setsockopt UDP_GRO");
		return 1;
	}
	for (int i = 0; i < RECEIVES; i++) {
		recv_iov[i] = (struct iovec){.iov_base = bufs[i], .iov_len = RECEIVE_BYTES};
		recv_msgs[i].msg_hdr.msg_iov = &recv_iov[i];
		recv_msgs[i].msg_hdr.msg_iovlen = 1;
		recv_msgs[i].msg_hdr.msg_name = &peers[i];
		recv_msgs[i].msg_hdr.msg_control = recv_ctrl[i];
	}
	floor_ready("udp_gro_echo", argc, argv);

	for (;;) {
		for (int i = 0; i < RECEIVES; i++) {
			recv_msgs[i].msg_hdr.msg_namelen = sizeof peers[i];
			recv_msgs[i].msg_hdr.msg_controllen = sizeof recv_ctrl[i];
			answered[i] = 0;
		}
		int received = recvmmsg(fd, recv_msgs, RECEIVES, MSG_WAITFORONE, NULL);
		if (received < 0) {
			if (errno == EINTR)
				continue;
			perror("recvmmsg");
			return 1;
		}
		for (int i = 0; i < received; i++) {
			if (answered[i])
				continue;
			int n = collect(i, received);
			size_t size = one_gso_size(n);
			if (size > 0)
				send_gso(fd, &peers[i], n, size);
			else
				send_each(fd, &peers[i], n);
		}
	}
}
