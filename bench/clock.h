/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmarks' clock: CLOCK_MONOTONIC in nanoseconds. In a QEMU guest it
 * is the emulated counter, which follows the host's real time.
 */
#ifndef KSR_BENCH_CLOCK_H
#define KSR_BENCH_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
