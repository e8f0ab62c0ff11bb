// SPDX-License-Identifier: GPL-2.0
/*
 * module_shim - run a program written for the series' VM ioctl against the
 * kvm_safe_rules module, unchanged.
 *
 * Linked with -Wl,--wrap=ioctl into the series' own selftest
 * (tools/testing/selftests/kvm/aarch64/reg_safe_rules.c, its objects as the
 * kernel's selftest build made them), this file answers the two requests of
 * the series' UAPI the stock kernel does not know, through the module's
 * device, and passes every other request to the kernel:
 *
 *  - KVM_CHECK_EXTENSION(KVM_CAP_ARM_REG_SAFE_RULES), on /dev/kvm or a VM:
 *    the kernel's answer, or the device's when the kernel has none;
 *  - KVM_ARM_GET_REG_SAFE_RULES on a file that is not the device: a device
 *    file attached to that file for the call (attaching a file that is not
 *    a VM fails as the VM ioctl would: EBADF or EINVAL). On a kernel with
 *    the capability, the kernel answers.
 *
 * What the test checks is then the module's answer, with the series' test
 * code and expectations.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "linux/kvm_reg_safe_rules.h"
#include "linux/kvm_safe_rules_dev.h"

int __real_ioctl(int fd, unsigned long request, ...);
int __wrap_ioctl(int fd, unsigned long request, ...);

static int kernel_has_rules(int fd)
{
	return __real_ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_REG_SAFE_RULES) > 0;
}

static int open_device(void)
{
	return open("/dev/" KVM_SAFE_RULES_DEV_NAME, O_RDWR | O_CLOEXEC);
}

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int dev, ret, saved;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (request == KVM_CHECK_EXTENSION &&
	    (unsigned long)arg == KVM_CAP_ARM_REG_SAFE_RULES && !kernel_has_rules(fd)) {
		dev = open_device();
		if (dev < 0)
			return 0;
		ret = __real_ioctl(dev, KVM_CHECK_EXTENSION, KVM_CAP_ARM_REG_SAFE_RULES);
		close(dev);
		return ret;
	}
	if (request == KVM_ARM_GET_REG_SAFE_RULES && !kernel_has_rules(fd)) {
		dev = open_device();
		if (dev < 0)
			return -1;
		ret = __real_ioctl(dev, KVM_SAFE_RULES_ATTACH_VM, fd);
		if (!ret)
			ret = __real_ioctl(dev, KVM_ARM_GET_REG_SAFE_RULES, arg);
		saved = errno;
		close(dev);
		errno = saved;
		return ret;
	}
	return __real_ioctl(fd, request, arg);
}
