/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a benchmark fails: loudly, naming the step, with a non-zero exit
 * status, before any figure of the failed run is printed.
 */
#ifndef KSR_BENCH_FAIL_H
#define KSR_BENCH_FAIL_H

/* The program's name in messages; set by main() (default "bench"). */
extern const char *bench_name;

/* "NAME: STEP: strerror(-err)" on stderr, then exit(1). */
__attribute__((noreturn)) void bench_fail_errno(const char *step, int err);

/* "NAME: printf-formatted message" on stderr, then exit(1). */
__attribute__((noreturn, format(printf, 1, 2))) void bench_fail(const char *fmt, ...);

#endif
