// SPDX-License-Identifier: GPL-2.0
/*
 * Failing a benchmark: a message naming the step and exit status 1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"

const char *bench_name = "bench";

void bench_fail_errno(const char *step, int err)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s: %s\n", bench_name, step, strerror(err < 0 ? -err : err));
	exit(1);
}

void bench_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", bench_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}
