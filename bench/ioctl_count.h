/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counting ioctl() calls: a program linked with -Wl,--wrap=ioctl and
 * ioctl_count.c has every ioctl() of its own objects and of the library
 * (compiled into it) counted here before it reaches the kernel.
 */
#ifndef KSR_BENCH_IOCTL_COUNT_H
#define KSR_BENCH_IOCTL_COUNT_H

#include <stdint.h>

struct ioctl_counts {
	uint64_t total;
	uint64_t set_one_reg;	/* KVM_SET_ONE_REG */
	uint64_t get_one_reg;	/* KVM_GET_ONE_REG */
};

void ioctl_count_reset(void);
struct ioctl_counts ioctl_count_read(void);

#endif
