// SPDX-License-Identifier: GPL-2.0
/*
 * outcomes - the raw outcome of KVM_SET_ONE_REG for a fixed value set.
 *
 *	outcomes [--seed N]
 *
 * Uses no KVM_ARM_GET_REG_SAFE_RULES, so it runs the same on a stock and on a
 * patched kernel. For every register of the feature ID range, i.e. every
 * encoding op0=3, op1=0, CRn=0, CRm=1..7, op2=0..7 whether allocated,
 * hidden from this VM or unallocated (the ones KVM treats as RAZ among them;
 * checked before anything is written), and CTR_EL0,
 * writes into a VM at its defaults: every value of every 4-bit nibble, then
 * 64 seeded random values; records for each the errno of KVM_SET_ONE_REG
 * and the value KVM_GET_ONE_REG reads back, and restores the default. One
 * TAP result per register carries the count of accepted values and a hash
 * of every (value, errno, read-back) triple in order: identical lines on
 * two kernels mean identical outcomes, value by value.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"
#include "rng.h"
#include "hash.h"
#include "sysreg.h"
#include "vm.h"

#define RANDOM_PER_REGISTER 64

/*
 * The registers must be every encoding of the feature ID range, in order,
 * then CTR_EL0: a register left out would make two kernels' results equal
 * without comparing it. Returns how many of them have no name.
 */
static unsigned int check_coverage(const struct ksr_encoding *regs)
{
	unsigned int n = 0, unnamed = 0;

	for (uint8_t crm = 1; crm <= 7; crm++) {
		for (uint8_t op2 = 0; op2 <= 7; op2++, n++) {
			struct ksr_encoding e = regs[n];

			if (e.op0 != 3 || e.op1 != 0 || e.crn != 0 || e.crm != crm ||
			    e.op2 != op2)
				ksft_exit_fail_msg("register %u is not S3_0_C0_C%u_%u\n",
						   n, crm, op2);
			unnamed += !ksr_encoding_known_name(e);
		}
	}
	if (regs[n].op0 != 3 || regs[n].op1 != 3 || regs[n].crn != 0 || regs[n].crm != 0 ||
	    regs[n].op2 != 1 || n + 1 != KSR_ID_REGS_COUNT)
		ksft_exit_fail_msg("register %u is not CTR_EL0, or not the last\n", n);
	return unnamed;
}

int main(int argc, char **argv)
{
	struct ksr_encoding regs[KSR_ID_REGS_COUNT];
	uint64_t seed = 20261122;
	struct ksr_vm *vm;
	char err[256];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: outcomes [--seed N]\n");
			return KSFT_FAIL;
		}
	}
	rng_seed(seed);

	ksft_print_header();
	if (ksr_vm_open(&vm, 0, err, sizeof(err)))
		ksft_exit_skip("cannot create the VM: %s\n", err);
	ksr_id_regs(regs);
	ksft_print_msg("seed %" PRIu64 "\n", seed);
	ksft_print_msg("registers: the 56 encodings of the feature ID range (%u of them %s) and CTR_EL0\n",
		       check_coverage(regs), "unallocated or unnamed");
	ksft_set_plan(KSR_ID_REGS_COUNT);

	for (unsigned int r = 0; r < KSR_ID_REGS_COUNT; r++) {
		uint64_t id = ksr_encoding_to_id(regs[r]), def, hash = KSR_FNV1A_INIT;
		unsigned int trials = 0, accepted = 0;
		char name[32];

		if (ksr_vm_get_reg(vm, id, &def))
			ksft_exit_fail_msg("KVM_GET_ONE_REG %#" PRIx64 " failed\n", id);
		for (unsigned int t = 0; t < 16 * 16 + RANDOM_PER_REGISTER; t++) {
			uint64_t value, back;
			int ret;

			if (t < 16 * 16)
				value = (def & ~(0xfull << (4 * (t / 16)))) |
					((uint64_t)(t % 16) << (4 * (t / 16)));
			else
				value = rng();
			ret = ksr_vm_set_reg(vm, id, value);
			if (ksr_vm_get_reg(vm, id, &back))
				ksft_exit_fail_msg("KVM_GET_ONE_REG %#" PRIx64 " failed\n", id);
			hash = fnv1a(fnv1a(fnv1a(hash, value), (uint64_t)(int64_t)ret), back);
			trials++;
			accepted += !ret;
			if (back != def && ksr_vm_set_reg(vm, id, def))
				ksft_exit_fail_msg("cannot restore %#" PRIx64 "\n", id);
		}
		ksft_test_result_pass("%s: %u values, %u accepted, outcome hash %016" PRIx64 "\n",
				      ksr_encoding_name(regs[r], name, sizeof(name)),
				      trials, accepted, hash);
	}
	ksr_vm_close(vm);
	ksft_finished();
}
