// SPDX-License-Identifier: GPL-2.0
/*
 * module_cycle - the kvm_safe_rules module's device, its lifetime and its
 * refusal of other kernels, on a kernel booted with the module loaded
 * (scripts/qemu-run --kernel debian).
 *
 *	module_cycle MODULE [FOREIGN_MODULE]
 *
 * MODULE is the module file loaded at boot; FOREIGN_MODULE, a build of the
 * module for another Debian kernel. Results:
 *
 *  - the device's errors: attach to no file (EBADF), to a file that is not
 *    a VM (EINVAL), twice (EBUSY); a query before attaching (EBADFD); an
 *    unknown request (ENOTTY); KVM_CHECK_EXTENSION answers 2, the layout version;
 *  - a VM closed while a device file holds it: the file still answers,
 *    with the same number of entries, and the VM goes away with the file;
 *  - the module cannot be unloaded while a device file is open;
 *  - 100 unloads and loads, with a VM created and queried after each load
 *    and one VM that lives across all of them: every unload and load
 *    succeeds, every query gives the first count of entries, and at the end
 *    no VM is left (debugfs: /sys/kernel/debug/kvm) and the unreclaimable
 *    slab grew by less than 1 MiB;
 *  - FOREIGN_MODULE is refused, and the kernel log says why in the module's
 *    one line ("kvm_safe_rules: built for Linux ..."); the module is loaded
 *    again after.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "linux/kvm_reg_safe_rules.h"
#include "linux/kvm_safe_rules_dev.h"

#include "kselftest.h"
#include "kvmraw.h"
#include "vm.h"

#define DEVICE		"/dev/" KVM_SAFE_RULES_DEV_NAME
#define CYCLES		100
#define SLAB_SLACK_KB	1024

/* The number of entries a device file attached to vm_fd returns, or -errno. */
static long count_entries(int dev, int vm_fd, int attach)
{
	struct kvm_arm_reg_safe_rules args = { .entry_size = KVM_ARM_ID_REG_RULE_SIZE_VER0 };

	if (attach && ioctl(dev, KVM_SAFE_RULES_ATTACH_VM, vm_fd))
		return -errno;
	if (!ioctl(dev, KVM_ARM_GET_REG_SAFE_RULES, &args))
		return 0;
	return errno == E2BIG ? (long)args.nr_entries : -errno;
}

static long query(int vm_fd)
{
	int dev = open(DEVICE, O_RDWR | O_CLOEXEC);
	long n;

	if (dev < 0)
		return -errno;
	n = count_entries(dev, vm_fd, 1);
	close(dev);
	return n;
}

static long meminfo_kb(const char *key)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			kb = strtol(line + strlen(key) + 1, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static int open_vm(struct ksr_vm **vm)
{
	char err[256];
	int ret = ksr_vm_open(vm, 0, err, sizeof(err));

	if (ret)
		ksft_print_msg("VM: %s\n", err);
	return ret;
}

static void test_errors(void)
{
	int dev = open(DEVICE, O_RDWR | O_CLOEXEC), null = open("/dev/null", O_RDONLY);
	struct kvm_arm_reg_safe_rules args = { .entry_size = KVM_ARM_ID_REG_RULE_SIZE_VER0 };
	struct ksr_vm *vm;
	int ok = dev >= 0 && null >= 0, e1, e2, e3, e4, e5, e6;

	/* The layout version of api.rst 8.42: 2, the firmware registers on request */
	ok &= ioctl(dev, KVM_CHECK_EXTENSION, KVM_CAP_ARM_REG_SAFE_RULES) == 2;
	e1 = ioctl(dev, KVM_ARM_GET_REG_SAFE_RULES, &args) ? errno : 0;
	e2 = ioctl(dev, KVM_SAFE_RULES_ATTACH_VM, -1) ? errno : 0;
	e3 = ioctl(dev, KVM_SAFE_RULES_ATTACH_VM, null) ? errno : 0;
	e4 = ioctl(dev, _IO(KVMIO, 0xff)) ? errno : 0;
	e5 = e6 = -1;
	if (!open_vm(&vm)) {
		e5 = ioctl(dev, KVM_SAFE_RULES_ATTACH_VM, ksr_vm_fd(vm)) ? errno : 0;
		e6 = ioctl(dev, KVM_SAFE_RULES_ATTACH_VM, ksr_vm_fd(vm)) ? errno : 0;
		ksr_vm_close(vm);
	}
	ok &= e1 == EBADFD && e2 == EBADF && e3 == EINVAL && e4 == ENOTTY && !e5 && e6 == EBUSY;
	ksft_test_result(ok, "device errors: query before attach %s, attach -1 %s, attach /dev/null %s, "
			 "unknown request %s, attach %s, attach again %s\n", strerror(e1), strerror(e2),
			 strerror(e3), strerror(e4), strerror(e5), strerror(e6));
	close(null);
	close(dev);
}

static void test_vm_closed(int vms_before)
{
	int dev = open(DEVICE, O_RDWR | O_CLOEXEC), busy, left;
	long before = -1, after = -1;
	struct ksr_vm *vm;

	if (dev >= 0 && !open_vm(&vm)) {
		before = count_entries(dev, ksr_vm_fd(vm), 1);
		ksr_vm_close(vm);
		after = count_entries(dev, -1, 0);
	}
	busy = raw_module_unload();
	close(dev);
	left = raw_count_vms();
	ksft_test_result(before > 0 && after == before && left == vms_before,
			 "a VM closed while a device file holds it: %ld entries before, %ld after, "
			 "%d VMs left once the file is closed (%d before)\n",
			 before, after, left, vms_before);
	ksft_test_result(busy == -EWOULDBLOCK,
			 "unloading with a device file open: %s\n", strerror(-busy));
}

static void test_cycles(const char *module, int vms_before)
{
	long slab_before = meminfo_kb("SUnreclaim"), slab_after, first = -1, n;
	int failures = 0, i, ret, gone;
	struct ksr_vm *keep, *vm;

	if (open_vm(&keep)) {
		ksft_test_result_fail("%d unloads and loads: no VM\n", CYCLES);
		return;
	}
	first = query(ksr_vm_fd(keep));
	for (i = 0; i < CYCLES && failures < 5; i++) {
		ret = raw_module_unload();
		gone = access(DEVICE, F_OK) ? errno : 0;
		if (ret || gone != ENOENT) {
			ksft_print_msg("cycle %d: unload: %s, the device is %s\n", i,
				       strerror(-ret), gone ? "gone" : "still there");
			failures++;
		}
		ret = raw_module_load(module);
		if (ret) {
			ksft_print_msg("cycle %d: load: %s\n", i, strerror(-ret));
			failures++;
			continue;
		}
		if (open_vm(&vm)) {
			failures++;
			continue;
		}
		n = query(ksr_vm_fd(vm));
		if (n != first || query(ksr_vm_fd(keep)) != first) {
			ksft_print_msg("cycle %d: %ld entries, %ld at first\n", i, n, first);
			failures++;
		}
		ksr_vm_close(vm);
	}
	ksr_vm_close(keep);
	slab_after = meminfo_kb("SUnreclaim");
	ksft_test_result(!failures && first > 0 && raw_count_vms() == vms_before &&
			 slab_after - slab_before < SLAB_SLACK_KB,
			 "%d unloads and loads with VMs queried between: %d failures, %ld entries "
			 "each, %d VMs left (%d before), unreclaimable slab %+ld KiB\n",
			 i, failures, first, raw_count_vms(), vms_before, slab_after - slab_before);
}

/* Records the kernel logged since *fd was opened contain text. */
static int kmsg_has(int fd, const char *text)
{
	char rec[8192];
	ssize_t r;
	int found = 0;

	while ((r = read(fd, rec, sizeof(rec) - 1)) > 0 || (r < 0 && errno == EPIPE)) {
		if (r <= 0)
			continue;
		rec[r] = '\0';
		found |= strstr(rec, text) != NULL;
	}
	return found;
}

static void test_foreign(const char *module, const char *foreign)
{
	int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC), ret, said, back;

	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	ret = raw_module_unload();
	if (ret) {
		ksft_test_result_fail("the module of another kernel: unloading ours: %s\n",
				      strerror(-ret));
		return;
	}
	ret = raw_module_load(foreign);
	said = kmsg >= 0 && kmsg_has(kmsg, "kvm_safe_rules: built for Linux ");
	if (!ret)
		raw_module_unload();
	back = raw_module_load(module);
	ksft_test_result(ret == -ENOEXEC && said && !back,
			 "the module of another kernel (%s) is refused: %s, %s; ours loads again: %s\n",
			 foreign, ret ? strerror(-ret) : "it loaded",
			 said ? "the log says why" : "the log does not say why",
			 back ? strerror(-back) : "yes");
	if (kmsg >= 0)
		close(kmsg);
}

int main(int argc, char **argv)
{
	int vms;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: module_cycle MODULE [FOREIGN_MODULE]\n");
		return 2;
	}
	ksft_print_header();
	ksft_set_plan(argc == 3 ? 5 : 4);
	if (access(DEVICE, F_OK))
		ksft_exit_fail_msg("%s: %s (is the module loaded?)\n", DEVICE, strerror(errno));
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) && errno != EBUSY)
		ksft_exit_fail_msg("mount debugfs: %s\n", strerror(errno));
	vms = raw_count_vms();
	if (vms < 0)
		ksft_exit_fail_msg("/sys/kernel/debug/kvm: %s\n", strerror(-vms));

	test_errors();
	test_vm_closed(vms);
	test_cycles(argv[1], vms);
	if (argc == 3)
		test_foreign(argv[1], argv[2]);
	ksft_finished();
}
