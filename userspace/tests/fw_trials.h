/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trial values of the firmware pseudo-register tests (fw_differential,
 * fw_outcomes), and running a scratch VM once. The values depend only on
 * the register's id, its default and the bits a bitmap is known to have,
 * never on a rule: the same trials on a stock and on a patched kernel.
 *
 *  - a bitmap (KVM_REG_ARM_FW_FEAT_BMAP): every subset of its known bits
 *    when there are at most 8, else every single bit, every pair and 64
 *    seeded random subsets; every other bit, alone and added to the default;
 *  - KVM_REG_ARM_PSCI_VERSION: every version encoding in use (0.1, 0.2, 1.0
 *    to 1.3) and its neighbours, 0, the default's neighbours, and values
 *    beyond 32 bits;
 *  - a workaround register: every level 0..15, each with and without the
 *    ENABLED bit of WORKAROUND_2 (bit 4), bit 5 and bit 63;
 *  - any other firmware register: 0..31 and every single bit.
 */
#ifndef KSR_TESTS_FW_TRIALS_H
#define KSR_TESTS_FW_TRIALS_H

#include <stdint.h>
#include <stdlib.h>
#include <linux/kvm.h>

#include "kvmraw.h"
#include "rng.h"

#define FW_MAX_TRIALS		512
#define FW_RANDOM_SUBSETS	64

static inline int fw_is_firmware_reg(uint64_t id)
{
	uint64_t coproc = id & KVM_REG_ARM_COPROC_MASK;

	return (id & KVM_REG_ARCH_MASK) == KVM_REG_ARM64 &&
	       (coproc == KVM_REG_ARM_FW || coproc == KVM_REG_ARM_FW_FEAT_BMAP);
}

static inline int fw_is_bitmap(uint64_t id)
{
	return (id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_FW_FEAT_BMAP;
}

static inline void fw_add(uint64_t *v, unsigned int *n, uint64_t value)
{
	for (unsigned int i = 0; i < *n; i++)
		if (v[i] == value)
			return;
	if (*n < FW_MAX_TRIALS)
		v[(*n)++] = value;
}

/* The trial values of register @id into @v (room for FW_MAX_TRIALS); their count. */
static inline unsigned int fw_trial_values(uint64_t id, uint64_t def, uint64_t known,
					   uint64_t *v)
{
	static const uint64_t psci[] = { 0x1, 0x2, 0x10000, 0x10001, 0x10002, 0x10003 };
	unsigned int n = 0, nbits = __builtin_popcountll(known);

	fw_add(v, &n, def);
	if (fw_is_bitmap(id)) {
		if (nbits <= 8) {
			for (uint64_t sub = known;; sub = (sub - 1) & known) {
				fw_add(v, &n, sub);
				if (!sub)
					break;
			}
		} else {
			for (int a = 0; a < 64; a++) {
				if (!(known >> a & 1))
					continue;
				fw_add(v, &n, 1ull << a);
				for (int b = a + 1; b < 64; b++)
					if (known >> b & 1)
						fw_add(v, &n, 1ull << a | 1ull << b);
			}
			for (int i = 0; i < FW_RANDOM_SUBSETS; i++)
				fw_add(v, &n, rng() & known);
		}
		for (int bit = 0; bit < 64; bit++) {
			if (known >> bit & 1)
				continue;
			fw_add(v, &n, 1ull << bit);
			fw_add(v, &n, def | 1ull << bit);
		}
	} else if (id == KVM_REG_ARM_PSCI_VERSION) {
		for (size_t i = 0; i < sizeof(psci) / sizeof(psci[0]); i++) {
			fw_add(v, &n, psci[i] - 1);
			fw_add(v, &n, psci[i]);
			fw_add(v, &n, psci[i] + 1);
		}
		fw_add(v, &n, 0);
		fw_add(v, &n, def - 1);
		fw_add(v, &n, def + 1);
		fw_add(v, &n, 0x20000);
		fw_add(v, &n, 0xffffffffull);
		fw_add(v, &n, 1ull << 32 | def);
		fw_add(v, &n, ~0ull);
	} else if (id == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 ||
		   id == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2 ||
		   id == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3) {
		for (uint64_t level = 0; level < 16; level++) {
			fw_add(v, &n, level);
			fw_add(v, &n, level | KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED);
		}
		fw_add(v, &n, 1ull << 5);
		fw_add(v, &n, 1ull << 63);
	} else {
		for (uint64_t x = 0; x < 32; x++)
			fw_add(v, &n, x);
		for (int bit = 0; bit < 64; bit++)
			fw_add(v, &n, 1ull << bit);
	}
	return n;
}

/* The firmware registers KVM_GET_REG_LIST lists for the vCPU, into @ids; their count. */
static inline unsigned int fw_listed_regs(int vcpu_fd, uint64_t *ids, unsigned int room)
{
	struct kvm_reg_list probe = { .n = 0 }, *list;
	unsigned int n = 0;

	if (ioctl(vcpu_fd, KVM_GET_REG_LIST, &probe) == 0 || errno != E2BIG)
		ksft_exit_fail_msg("KVM_GET_REG_LIST without room: %s\n", strerror(errno));
	list = calloc(1, sizeof(*list) + probe.n * sizeof(list->reg[0]));
	if (!list)
		ksft_exit_fail_msg("out of memory\n");
	list->n = probe.n;
	if (ioctl(vcpu_fd, KVM_GET_REG_LIST, list))
		ksft_exit_fail_msg("KVM_GET_REG_LIST: %s\n", strerror(errno));
	for (uint64_t i = 0; i < list->n; i++)
		if (fw_is_firmware_reg(list->reg[i]) && n < room)
			ids[n++] = list->reg[i];
	free(list);
	return n;
}

/*
 * Gives a VM whose vCPU has a PMU what it needs to run: an in-kernel GICv3
 * (distributor and redistributor below kvmraw.h's memory) and the PMU's
 * interrupt, PPI 23. Returns 0 or -errno.
 */
static inline int fw_pmu_setup(int vm_fd, int vcpu_fd)
{
	struct kvm_create_device gic = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = 0x08000000, redist = 0x080a0000;
	int irq = 23;
	struct kvm_device_attr attrs[] = {
		{ .group = KVM_DEV_ARM_VGIC_GRP_ADDR, .attr = KVM_VGIC_V3_ADDR_TYPE_DIST,
		  .addr = (uint64_t)(uintptr_t)&dist },
		{ .group = KVM_DEV_ARM_VGIC_GRP_ADDR, .attr = KVM_VGIC_V3_ADDR_TYPE_REDIST,
		  .addr = (uint64_t)(uintptr_t)&redist },
		{ .group = KVM_DEV_ARM_VGIC_GRP_CTRL, .attr = KVM_DEV_ARM_VGIC_CTRL_INIT },
	};
	struct kvm_device_attr pmu_irq = {
		.group = KVM_ARM_VCPU_PMU_V3_CTRL, .attr = KVM_ARM_VCPU_PMU_V3_IRQ,
		.addr = (uint64_t)(uintptr_t)&irq,
	}, pmu_init = { .group = KVM_ARM_VCPU_PMU_V3_CTRL, .attr = KVM_ARM_VCPU_PMU_V3_INIT };

	if (ioctl(vm_fd, KVM_CREATE_DEVICE, &gic))
		return -errno;
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (ioctl(gic.fd, KVM_SET_DEVICE_ATTR, &attrs[i]))
			return -errno;
	if (ioctl(vcpu_fd, KVM_SET_DEVICE_ATTR, &pmu_irq) ||
	    ioctl(vcpu_fd, KVM_SET_DEVICE_ATTR, &pmu_init))
		return -errno;
	return 0;
}

/*
 * Runs the vCPU of a scratch VM (its files: @vm_fd, @vcpu_fd) once, with
 * kvmraw.h's one-instruction guest; a vCPU with a PMU (@pmu) gets a vGIC and
 * its PMU initialised first. Returns 0 or -errno.
 */
static inline int fw_run_once(int vm_fd, int vcpu_fd, int pmu)
{
	struct raw_vm raw = { .vm_fd = vm_fd, .vcpu_fd = vcpu_fd };
	int ret;

	if (pmu && (ret = fw_pmu_setup(vm_fd, vcpu_fd)))
		return ret;
	raw.kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (raw.kvm_fd < 0)
		return -errno;
	ret = raw_run_once(&raw);
	if (raw.run)
		munmap(raw.run, raw.run_size);
	/* The memory stays mapped: the VM's slot points at it until the VM goes. */
	close(raw.kvm_fd);
	return ret;
}

#endif
