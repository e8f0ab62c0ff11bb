// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl() wrapper of -Wl,--wrap=ioctl: counts, then calls the real one.
 */
#include <stdarg.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "ioctl_count.h"

int __real_ioctl(int fd, unsigned long request, ...);
int __wrap_ioctl(int fd, unsigned long request, ...);

static struct ioctl_counts counts;

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	counts.total++;
	if (request == KVM_SET_ONE_REG)
		counts.set_one_reg++;
	else if (request == KVM_GET_ONE_REG)
		counts.get_one_reg++;
	return __real_ioctl(fd, request, arg);
}

void ioctl_count_reset(void)
{
	counts = (struct ioctl_counts){ 0 };
}

struct ioctl_counts ioctl_count_read(void)
{
	return counts;
}
