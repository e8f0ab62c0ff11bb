/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The --seed option of the kselftest_harness guest tests: taken out of argv,
 * which keeps every other argument for the harness.
 */
#ifndef KSR_TESTS_SEED_H
#define KSR_TESTS_SEED_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Sets *seed from "--seed N" (the time when absent), removes it from argv
 * and returns the new argc; -1 after a message when N is not a number.
 */
static inline int take_seed_option(int argc, char **argv, const char *prog, uint64_t *seed)
{
	int n = 1;

	*seed = (uint64_t)time(NULL);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			char *end;

			errno = 0;
			*seed = strtoull(argv[++i], &end, 0);
			if (errno || *end || !*argv[i]) {
				fprintf(stderr, "%s: --seed: '%s' is not a number\n", prog, argv[i]);
				return -1;
			}
		} else {
			argv[n++] = argv[i];
		}
	}
	argv[n] = NULL;
	return n;
}

#endif
