// SPDX-License-Identifier: GPL-2.0
/*
 * fw_outcomes - the raw outcome of KVM_SET_ONE_REG on the firmware
 * pseudo-registers, for a fixed value set.
 *
 *	fw_outcomes [--seed N]
 *
 * Uses no KVM_ARM_GET_REG_SAFE_RULES, so it runs the same on a stock and on a
 * patched kernel: identical output proves that the series' refactoring of
 * the firmware register checks (patch 7) changed no outcome. For each VM
 * variant (without and with the PSCI 0.2 vCPU feature, each without and
 * with a PMU, and with PSCI 0.2 and ID_AA64PFR1_EL1.SSBS lowered to 0 where
 * the host has SSBS), every firmware register KVM_GET_REG_LIST lists gets
 * the trial values of fw_trials.h, at its defaults; each value's errno and
 * the value KVM_GET_ONE_REG reads back are hashed in order, and the default
 * is restored. Each VM is then run once (with a vGIC when it has a PMU) and
 * gets the same trials again. One TAP result per variant, register and state carries the
 * count of values, of accepted ones, and the hash.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_trials.h"
#include "hash.h"
#include "kselftest.h"
#include "rng.h"
#include "vm.h"

#define MAX_FW_REGS	32
#define SSBS_SHIFT	4	/* ID_AA64PFR1_EL1.SSBS, bits [7:4] */
#define ID_AA64PFR1_EL1	ARM64_SYS_REG(3, 0, 0, 4, 1)

static const struct variant {
	const char *name;
	unsigned int features;
	int hide_ssbs;
} variants[] = {
	{ "psci-0.1", 0, 0 },
	{ "psci-0.1+pmu", KSR_FEAT_PMU, 0 },
	{ "psci-0.2", KSR_FEAT_PSCI_0_2, 0 },
	{ "psci-0.2+pmu", KSR_FEAT_PSCI_0_2 | KSR_FEAT_PMU, 0 },
	{ "psci-0.2+ssbs-hidden", KSR_FEAT_PSCI_0_2, 1 },
};

/* Lowers ID_AA64PFR1_EL1.SSBS to 0: 0, or -ENOENT when the VM has none. */
static int hide_ssbs(struct ksr_vm *vm)
{
	uint64_t pfr1;

	if (ksr_vm_get_reg(vm, ID_AA64PFR1_EL1, &pfr1))
		ksft_exit_fail_msg("KVM_GET_ONE_REG ID_AA64PFR1_EL1 failed\n");
	if (!(pfr1 & 0xfull << SSBS_SHIFT))
		return -ENOENT;
	return ksr_vm_set_reg(vm, ID_AA64PFR1_EL1, pfr1 & ~(0xfull << SSBS_SHIFT));
}

static void trials(struct ksr_vm *vm, const struct variant *var, const char *state,
		   uint64_t id, uint64_t seed)
{
	uint64_t v[FW_MAX_TRIALS], def, hash = KSR_FNV1A_INIT;
	unsigned int n, accepted = 0;

	if (ksr_vm_get_reg(vm, id, &def))
		ksft_exit_fail_msg("KVM_GET_ONE_REG %#" PRIx64 " failed\n", id);
	/* The same random subsets for every variant, state and kernel */
	rng_seed(seed ^ id);
	n = fw_trial_values(id, def, fw_is_bitmap(id) ? def : 0, v);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t back;
		int ret = ksr_vm_set_reg(vm, id, v[i]);

		if (ksr_vm_get_reg(vm, id, &back))
			ksft_exit_fail_msg("KVM_GET_ONE_REG %#" PRIx64 " failed\n", id);
		hash = fnv1a(fnv1a(fnv1a(hash, v[i]), (uint64_t)(int64_t)ret), back);
		accepted += !ret;
		if (back != def && ksr_vm_set_reg(vm, id, def))
			ksft_exit_fail_msg("cannot restore %#" PRIx64 "\n", id);
	}
	ksft_test_result_pass("%s %s %#018" PRIx64 ": %u values, %u accepted, default %#" PRIx64
			      ", outcome hash %016" PRIx64 "\n",
			      var->name, state, id, n, accepted, def, hash);
}

int main(int argc, char **argv)
{
	uint64_t seed = 20261204;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: fw_outcomes [--seed N]\n");
			return KSFT_FAIL;
		}
	}
	ksft_print_header();
	ksft_print_msg("seed %" PRIu64 "\n", seed);

	for (size_t k = 0; k < sizeof(variants) / sizeof(variants[0]); k++) {
		const struct variant *var = &variants[k];
		uint64_t ids[MAX_FW_REGS];
		struct ksr_vm *vm;
		unsigned int n;
		char err[256];
		int ret;

		ret = ksr_vm_open(&vm, var->features, err, sizeof(err));
		if (ret == -EOPNOTSUPP) {
			ksft_test_result_skip("%s: %s\n", var->name, err);
			continue;
		}
		if (ret)
			ksft_exit_fail_msg("%s: cannot create the VM: %s\n", var->name, err);
		if (var->hide_ssbs && (ret = hide_ssbs(vm))) {
			ksft_test_result_skip("%s: %s\n", var->name, ret == -ENOENT ?
					      "the host has no SSBS" : "SSBS cannot be lowered");
			ksr_vm_close(vm);
			continue;
		}
		n = fw_listed_regs(ksr_vm_vcpu_fd(vm), ids, MAX_FW_REGS);
		if (!n)
			ksft_exit_fail_msg("%s: KVM_GET_REG_LIST lists no firmware register\n",
					   var->name);
		for (unsigned int i = 0; i < n; i++)
			trials(vm, var, "before-run", ids[i], seed);
		ret = fw_run_once(ksr_vm_fd(vm), ksr_vm_vcpu_fd(vm), !!(var->features & KSR_FEAT_PMU));
		if (ret)
			ksft_exit_fail_msg("%s: KVM_RUN: %s\n", var->name, strerror(-ret));
		for (unsigned int i = 0; i < n; i++)
			trials(vm, var, "after-run", ids[i], seed);
		ksr_vm_close(vm);
	}
	/* The plan comes last (TAP allows it): the count depends on what KVM lists. */
	ksft_set_plan(ksft_get_pass_cnt() + ksft_get_fail_cnt() + ksft_get_xskip_cnt());
	ksft_finished();
}
