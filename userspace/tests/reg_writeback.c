// SPDX-License-Identifier: GPL-2.0
/*
 * reg_writeback - every register KVM lists, written back as it was read.
 *
 *	reg_writeback
 *
 * Uses no KVM_GET_REG_SAFE_RULES, so it runs the same on a stock and on a
 * patched kernel. Creates a VM with one vCPU initialised with the preferred
 * target and no optional feature, reads KVM_GET_REG_LIST (an empty buffer
 * first: E2BIG and the count), and for every register listed, of whatever
 * size, reads it with KVM_GET_ONE_REG, writes the same bytes back with
 * KVM_SET_ONE_REG and reads it again. None is skipped: a write-back KVM
 * refuses, or a value that changes, is a failed result line of its own
 * naming the register and the errno. The timer counters are the one kind
 * whose value legitimately changes: they count while the test runs, so a
 * counter must read back a value no smaller than the one written.
 *
 * One result per register class (core, CCSIDR demux, feature ID registers,
 * timer, other system registers, firmware pseudo-registers, firmware
 * feature bitmaps, SVE, unknown) with its count, and one for the kernel's
 * taint flags (/proc/sys/kernel/tainted): no flag may appear during the
 * test.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "internal.h"
#include "kselftest.h"
#include "sysreg.h"
#include "vm.h"

#define MAX_REG_BYTES 256	/* KVM_REG_SIZE_U2048, an SVE Z register */
#define MAX_FAILURES 64

enum reg_class {
	CLASS_CORE, CLASS_DEMUX, CLASS_ID, CLASS_TIMER, CLASS_SYSREG, CLASS_FW,
	CLASS_FW_BMAP, CLASS_SVE, CLASS_UNKNOWN, CLASS_COUNT
};

static const char *const class_names[CLASS_COUNT] = {
	[CLASS_CORE] = "core registers",
	[CLASS_DEMUX] = "CCSIDR (demultiplexed) registers",
	[CLASS_ID] = "feature ID registers (op0=3, op1=0, CRn=0)",
	[CLASS_TIMER] = "timer registers",
	[CLASS_SYSREG] = "other system registers",
	[CLASS_FW] = "firmware pseudo-registers",
	[CLASS_FW_BMAP] = "firmware feature bitmap registers",
	[CLASS_SVE] = "SVE registers",
	[CLASS_UNKNOWN] = "registers of no known class",
};

struct class_count {
	unsigned int listed, written_back, counters;
};

static struct ksr_encoding sysreg_encoding(uint64_t id)
{
	return (struct ksr_encoding){
		(id & KVM_REG_ARM64_SYSREG_OP0_MASK) >> KVM_REG_ARM64_SYSREG_OP0_SHIFT,
		(id & KVM_REG_ARM64_SYSREG_OP1_MASK) >> KVM_REG_ARM64_SYSREG_OP1_SHIFT,
		(id & KVM_REG_ARM64_SYSREG_CRN_MASK) >> KVM_REG_ARM64_SYSREG_CRN_SHIFT,
		(id & KVM_REG_ARM64_SYSREG_CRM_MASK) >> KVM_REG_ARM64_SYSREG_CRM_SHIFT,
		(id & KVM_REG_ARM64_SYSREG_OP2_MASK) >> KVM_REG_ARM64_SYSREG_OP2_SHIFT,
	};
}

static int is_timer(uint64_t id)
{
	static const uint64_t timers[] = {
		KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_TIMER_CVAL,
		KVM_REG_ARM_PTIMER_CTL, KVM_REG_ARM_PTIMER_CNT, KVM_REG_ARM_PTIMER_CVAL,
	};

	for (size_t i = 0; i < ARRAY_SIZE(timers); i++)
		if (id == timers[i])
			return 1;
	return 0;
}

static int is_counter(uint64_t id)
{
	return id == KVM_REG_ARM_TIMER_CNT || id == KVM_REG_ARM_PTIMER_CNT;
}

static enum reg_class reg_class(uint64_t id)
{
	switch (id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		return CLASS_CORE;
	case KVM_REG_ARM_DEMUX:
		return CLASS_DEMUX;
	case KVM_REG_ARM64_SYSREG: {
		struct ksr_encoding e = sysreg_encoding(id);

		if (is_timer(id))
			return CLASS_TIMER;
		if (e.op0 == 3 && e.op1 == 0 && e.crn == 0)
			return CLASS_ID;
		return CLASS_SYSREG;
	}
	case KVM_REG_ARM_FW:
		return CLASS_FW;
	case KVM_REG_ARM_FW_FEAT_BMAP:
		return CLASS_FW_BMAP;
	case KVM_REG_ARM64_SVE:
		return CLASS_SVE;
	default:
		return CLASS_UNKNOWN;
	}
}

/* A register's name: the system register's, or its class and id. */
static const char *reg_name(uint64_t id, char *buf, size_t len)
{
	char name[32];

	if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM64_SYSREG)
		snprintf(buf, len, "%s (%#" PRIx64 ")",
			 ksr_encoding_name(sysreg_encoding(id), name, sizeof(name)), id);
	else
		snprintf(buf, len, "%s %#" PRIx64, class_names[reg_class(id)], id);
	return buf;
}

static int one_reg(int vcpu_fd, unsigned long request, uint64_t id, void *value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)value };

	return ioctl(vcpu_fd, request, &reg) < 0 ? -errno : 0;
}

/* The kernel's taint flags, or -1 if they cannot be read. */
static long long read_taint(void)
{
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");
	long long taint = -1;

	if (f) {
		if (fscanf(f, "%lld", &taint) != 1)
			taint = -1;
		fclose(f);
	}
	return taint;
}

static char failures[MAX_FAILURES][160];
static unsigned int nr_failures, nr_failures_unshown;

static void failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void failure(const char *fmt, ...)
{
	va_list ap;

	if (nr_failures == MAX_FAILURES) {
		nr_failures_unshown++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(failures[nr_failures++], sizeof(failures[0]), fmt, ap);
	va_end(ap);
}

/* Reads a register, writes it back, reads it again; records what went wrong. */
static int write_back(int vcpu_fd, uint64_t id)
{
	uint8_t before[MAX_REG_BYTES] __attribute__((aligned(16)));
	uint8_t after[MAX_REG_BYTES] __attribute__((aligned(16)));
	size_t size = KVM_REG_SIZE(id);
	char name[96];
	int ret;

	reg_name(id, name, sizeof(name));
	if (size > MAX_REG_BYTES) {
		failure("%s: %zu bytes, more than this test can hold", name, size);
		return 0;
	}
	ret = one_reg(vcpu_fd, KVM_GET_ONE_REG, id, before);
	if (ret) {
		failure("%s: KVM_GET_ONE_REG of a listed register: %s (errno %d)",
			name, strerror(-ret), -ret);
		return 0;
	}
	ret = one_reg(vcpu_fd, KVM_SET_ONE_REG, id, before);
	if (ret) {
		failure("%s: KVM_SET_ONE_REG of the value read: %s (errno %d)",
			name, strerror(-ret), -ret);
		return 0;
	}
	ret = one_reg(vcpu_fd, KVM_GET_ONE_REG, id, after);
	if (ret) {
		failure("%s: KVM_GET_ONE_REG after the write-back: %s (errno %d)",
			name, strerror(-ret), -ret);
		return 0;
	}
	if (is_counter(id) && size == 8) {
		uint64_t was, now;

		memcpy(&was, before, 8);
		memcpy(&now, after, 8);
		if (now < was) {
			failure("%s: the counter went back from %#" PRIx64 " to %#" PRIx64,
				name, was, now);
			return 0;
		}
	} else if (memcmp(before, after, size)) {
		failure("%s: reads back a different value after the write-back", name);
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	struct class_count counts[CLASS_COUNT] = { 0 };
	struct kvm_reg_list probe = { .n = 0 }, *list;
	long long taint_before, taint_after;
	unsigned int planned = 0, probe_errno;
	struct ksr_vm *vm;
	char err[256];
	int vcpu_fd;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: reg_writeback\n");
		return KSFT_FAIL;
	}
	ksft_print_header();
	taint_before = read_taint();
	if (ksr_vm_open(&vm, 0, err, sizeof(err)))
		ksft_exit_skip("cannot create the VM: %s\n", err);
	vcpu_fd = ksr_vm_vcpu_fd(vm);

	/* An empty buffer: E2BIG and the number of registers */
	probe_errno = ioctl(vcpu_fd, KVM_GET_REG_LIST, &probe) < 0 ? errno : 0;
	list = calloc(1, sizeof(*list) + (probe.n + 1) * sizeof(list->reg[0]));
	if (!list)
		ksft_exit_fail_msg("out of memory\n");
	list->n = probe.n;
	if (ioctl(vcpu_fd, KVM_GET_REG_LIST, list) < 0)
		ksft_exit_fail_msg("KVM_GET_REG_LIST of %llu registers: %s\n",
				   (unsigned long long)probe.n, strerror(errno));

	for (uint64_t i = 0; i < list->n; i++) {
		enum reg_class c = reg_class(list->reg[i]);

		counts[c].listed++;
		counts[c].written_back += write_back(vcpu_fd, list->reg[i]);
		counts[c].counters += is_counter(list->reg[i]);
	}
	ksr_vm_close(vm);
	taint_after = read_taint();

	for (int c = 0; c < CLASS_COUNT; c++)
		planned += counts[c].listed > 0;
	planned += 2 + nr_failures + !!nr_failures_unshown;
	ksft_set_plan(planned);

	if (probe_errno == E2BIG && list->n == probe.n && list->n > 0)
		ksft_test_result_pass("KVM_GET_REG_LIST: %llu registers %s\n",
				      (unsigned long long)list->n,
				      "(an empty buffer: E2BIG and the count)");
	else
		ksft_test_result_fail("KVM_GET_REG_LIST: %llu registers; %s: %s and %llu\n",
				      (unsigned long long)list->n, "an empty buffer",
				      probe_errno ? strerror(probe_errno) : "success",
				      (unsigned long long)probe.n);
	for (int c = 0; c < CLASS_COUNT; c++) {
		if (!counts[c].listed)
			continue;
		ksft_test_result(counts[c].written_back == counts[c].listed &&
				 c != CLASS_UNKNOWN,
				 "%s: %u listed, %u written back as read%s\n", class_names[c],
				 counts[c].listed, counts[c].written_back,
				 counts[c].counters ? " (the counters read back no smaller)" : "");
	}
	for (unsigned int i = 0; i < nr_failures; i++)
		ksft_test_result_fail("%s\n", failures[i]);
	if (nr_failures_unshown)
		ksft_test_result_fail("%u more registers failed\n", nr_failures_unshown);
	ksft_test_result(taint_before >= 0 && taint_after >= 0 && !(taint_after & ~taint_before),
			 "kernel taint flags: %lld before, %lld after (-1: unreadable)\n",
			 taint_before, taint_after);
	free(list);
	ksft_finished();
}
