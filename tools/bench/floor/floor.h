/*
 * floor.h: what the floor servers share: the command line, PORT [ADDRESS] (IPv4, default
 * 127.0.0.1), the socket bound there, and the one line each prints once it serves.
 */
#ifndef FLOOR_H
#define FLOOR_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

/* floor_address returns the ADDRESS argument, or the default. */
static const char *floor_address(int argc, char **argv)
{
	return argc == 3 ? argv[2] : "127.0.0.1";
}

/* floor_socket opens a socket of type (SOCK_STREAM or SOCK_DGRAM, flags included) bound to
 * the address of the command line, with SO_REUSEADDR for a stream; it ends the process on
 * any failure. */
static int floor_socket(const char *name, int type, int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s PORT [ADDRESS]\n", name);
		exit(2);
	}
	int port = atoi(argv[1]);
	const char *address = floor_address(argc, argv);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (port <= 0 || port > 65535 || inet_pton(AF_INET, address, &sa.sin_addr) != 1) {
		fprintf(stderr, "%s: bad address %s, port %s\n", name, address, argv[1]);
		exit(2);
	}
	int one = 1;
	int fd = socket(AF_INET, type, 0);
	if (fd < 0 || ((type & SOCK_STREAM) && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		perror(name);
		exit(1);
	}
	return fd;
}

/* floor_ready says on stdout that the server serves. */
static void floor_ready(const char *name, int argc, char **argv)
{
	printf("%s serving on %s:%s\n", name, floor_address(argc, argv), argv[1]);
	fflush(stdout);
}

#endif
