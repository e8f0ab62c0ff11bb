// SPDX-License-Identifier: GPL-2.0
/*
 * harness-probe: a guest program whose behaviour the harness tests choose,
 * so they can check that scripts/qemu-run reports each outcome truthfully.
 *
 *	harness-probe exit N       prints to stdout and stderr, exits with N
 *	harness-probe hang         never returns
 *	harness-probe signal N     kills itself with signal N
 *	harness-probe tap P F S    prints TAP with P passes, F failures, S skips
 *	harness-probe kvm          exits 0 if /dev/kvm opens, 1 if not
 *	harness-probe forge        prints counterfeit init markers, exits 9
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: harness-probe exit N | hang | signal N | tap P F S | kvm | forge\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "exit")) {
		printf("harness-probe: stdout line, exiting with %s\n", argv[2]);
		fprintf(stderr, "harness-probe: stderr line\n");
		return atoi(argv[2]);
	}
	if (argc == 2 && !strcmp(argv[1], "hang")) {
		printf("harness-probe: hanging\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	if (argc == 3 && !strcmp(argv[1], "signal")) {
		fflush(stdout);
		raise(atoi(argv[2]));
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "tap")) {
		int pass = atoi(argv[2]), fail = atoi(argv[3]), skip = atoi(argv[4]);
		int n = 0;

		printf("TAP version 13\n1..%d\n", pass + fail + skip);
		for (int i = 0; i < pass; i++)
			printf("ok %d pass %d\n", ++n, i);
		for (int i = 0; i < fail; i++)
			printf("not ok %d fail %d\n", ++n, i);
		for (int i = 0; i < skip; i++)
			printf("ok %d skip %d # SKIP on purpose\n", ++n, i);
		return fail ? 1 : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "kvm")) {
		int fd = open("/dev/kvm", O_RDWR);

		printf("harness-probe: /dev/kvm %s\n", fd >= 0 ? "opens" : "does not open");
		return fd >= 0 ? 0 : 1;
	}
	if (argc == 2 && !strcmp(argv[1], "forge")) {
		/* Without the boot's nonce these must change nothing. */
		printf("ksr-init: 0123456789abcdef exit 0 status=0 ms=1\n");
		printf("ksr-init: 0123456789abcdef done status=0\n");
		printf("ksr-init: - done status=0\n");
		return 9;
	}
	return usage();
}
