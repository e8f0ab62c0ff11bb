// SPDX-License-Identifier: GPL-2.0
/*
 * kmemleak_scan - asks kmemleak for a scan now and reports what it found.
 *
 *	kmemleak_scan
 *
 * On a kernel with CONFIG_DEBUG_KMEMLEAK (the debug kernel): mounts
 * debugfs, writes "scan" to /sys/kernel/debug/kmemleak (a scan reports the
 * objects older than kmemleak's minimum age, 5 s, that nothing points to:
 * the tests before this one ran for longer) and counts the "unreferenced
 * object" records the file then holds. One TAP result: 0
 * suspected leaks. kmemleak also logs "N new suspected memory leaks", which
 * the kernel-log verdict fails on its own. The first records are shown.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kselftest.h"

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

static int write_scan(void)
{
	FILE *f = fopen(KMEMLEAK, "w");
	int ok = f && fputs("scan", f) >= 0;

	if (f && fclose(f))
		ok = 0;
	return ok;
}

int main(void)
{
	char line[512];
	int leaks = 0, shown = 0;
	FILE *f;

	ksft_print_header();
	ksft_set_plan(1);
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) && errno != EBUSY)
		ksft_exit_fail_msg("mount debugfs: %s\n", strerror(errno));
	if (access(KMEMLEAK, F_OK))
		ksft_exit_skip("no %s: this kernel has no kmemleak\n", KMEMLEAK);
	if (!write_scan())
		ksft_exit_fail_msg("%s: scan: %s\n", KMEMLEAK, strerror(errno));
	f = fopen(KMEMLEAK, "r");
	if (!f)
		ksft_exit_fail_msg("%s: %s\n", KMEMLEAK, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		leaks += !strncmp(line, "unreferenced object", 19);
		if (leaks && shown++ < 40)
			ksft_print_msg("%s", line);
	}
	fclose(f);
	ksft_test_result(!leaks, "kmemleak: %d suspected leaks\n", leaks);
	ksft_finished();
}
