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
 *	harness-probe kmsg WORD... writes the words, joined by spaces, as one record
 *	                           to the kernel log (/dev/kmsg); prints one passing
 *	                           TAP result, exits 0
 *	harness-probe taint N      ORs N into /proc/sys/kernel/tainted; prints one
 *	                           passing TAP result, exits 0
 *	harness-probe forge NONCE INDEX
 *	                           plants a WARNING line and the W taint flag, prints
 *	                           one passing TAP result, then with NONCE the markers
 *	                           init prints at the clean end of command INDEX, and
 *	                           "done"; exits 0
 *
 * kmsg and taint plant the two symptoms of a kernel bug that the harness
 * must catch (a WARN line, a taint flag); a real WARN cannot be triggered
 * on purpose in a correct kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PLANTED_WARNING "WARNING: CPU: 0 PID: 1 at fake.c:1 planted+0x0/0x4"
#define TAINT_WARN 512

static int usage(void)
{
	fprintf(stderr, "usage: harness-probe exit N | hang | signal N | tap P F S | kvm | forge\n"
		"                     | kmsg WORD... | taint N | forge NONCE INDEX\n");
	return 2;
}

/* Writes text into a file, whole; returns 0 or prints why not and returns 1. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n = -1;

	errno = 0;
	if (fd >= 0) {
		n = write(fd, text, strlen(text));
		close(fd);
	}
	if (n != (ssize_t)strlen(text)) {
		fprintf(stderr, "harness-probe: write %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("harness-probe: wrote '%.*s' to %s\n", (int)strcspn(text, "\n"), text, path);
	return 0;
}

/*
 * With its newline: the kernel keeps a record without one open for a
 * continuation, and /dev/kmsg readers see it only once it is closed.
 */
static int plant_kmsg(const char *text)
{
	char line[1024];

	snprintf(line, sizeof(line), "%s\n", text);
	return write_file("/dev/kmsg", line);
}

static int plant_taint(unsigned long bits)
{
	char text[32];

	snprintf(text, sizeof(text), "%lu", bits);
	return write_file("/proc/sys/kernel/tainted", text);
}

/* A passing TAP test of one result: what a test that sees nothing wrong prints. */
static int tap_one(int ok, const char *what)
{
	printf("TAP version 13\n1..1\n%s 1 %s\n", ok ? "ok" : "not ok", what);
	return !ok;
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
	if (argc >= 3 && !strcmp(argv[1], "kmsg")) {
		char text[512] = "";

		for (int i = 2; i < argc; i++)
			snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s",
				 i > 2 ? " " : "", argv[i]);
		return tap_one(!plant_kmsg(text), "planted a kernel log record");
	}
	if (argc == 3 && !strcmp(argv[1], "taint"))
		return tap_one(!plant_taint(strtoul(argv[2], NULL, 0)), "planted a taint flag");
	if (argc == 4 && !strcmp(argv[1], "forge")) {
		const char *nonce = argv[2];
		int index = atoi(argv[3]);

		if (plant_kmsg(PLANTED_WARNING) || plant_taint(TAINT_WARN))
			return 1;
		tap_one(1, "all is well");
		/* What init prints when command INDEX ended well and the log is clean */
		printf("ksr-init: %s exit %d status=0 ms=1\n", nonce, index);
		printf("ksr-init: %s log %d taint=0 records=0 lost=0\n", nonce, index);
		printf("ksr-init: %s done status=0\n", nonce);
		return 0;
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
