// SPDX-License-Identifier: GPL-2.0
/*
 * fw_differential - the exported rules of the firmware pseudo-registers
 * against KVM, value by value.
 *
 *	fw_differential [--seed N] [kselftest_harness options: -l, -v VARIANT, -t TEST, ...]
 *
 * A kselftest_harness test. For every firmware register the rules report
 * (and they must report exactly those KVM_GET_REG_LIST lists), it writes the
 * trial values of fw_trials.h with KVM_SET_ONE_REG into a VM at its defaults
 * and compares the outcome (accept or the error, and the value
 * KVM_GET_ONE_REG reads back) with what the library's predictor,
 * ksr_predict(), says from the exported rules, and with whether ksr_check()
 * accepts the value as a configuration. Variants: without and with the PSCI
 * 0.2 vCPU feature, each without and with a PMU, and PSCI 0.2 with
 * ID_AA64PFR1_EL1.SSBS lowered to 0 before the rules are read (skipped where
 * the host has no SSBS).
 *
 *   before_run       the trials in a VM that has not run
 *   after_run        the VM is run once (with a vGIC when it has a PMU), the
 *                    rules read again, and the same trials predicted from
 *                    them
 *   follows_id_regs  (once, PSCI 0.2) a register whose rule differs between
 *                    a VM with SSBS and one without must say that it
 *                    follows the ID registers (KSR_REG_FOLLOWS_ID_REGS), in
 *                    both; skipped where the host has no SSBS
 *
 * Each test prints its trials per register and in total and every mismatch.
 * The same trials measure the "naive model" of a VMM that knows only that
 * "a bitmap may only lose bits" and treats every firmware register so: a
 * value is accepted when it sets no bit the default does not, and stored as
 * written. Its wrong predictions are printed per register as "# naive"
 * lines, evidence for Documentation/naive-model.rst, not failures.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "fw_trials.h"
#include "rng.h"
#include "seed.h"
#include "vm.h"

#define MAX_FW_REGS	32
#define MAX_REPORTED	20
#define SSBS_MASK	(0xfull << 4)	/* ID_AA64PFR1_EL1.SSBS */
#define ID_AA64PFR1_EL1	ARM64_SYS_REG(3, 0, 0, 4, 1)

static uint64_t seed;

struct tally {
	unsigned long trials, mismatches, naive_wrong;
};

/* Lowers ID_AA64PFR1_EL1.SSBS to 0: 0, -ENOENT when the VM has none, or -errno. */
static int hide_ssbs(struct ksr_vm *vm)
{
	uint64_t pfr1;
	int ret = ksr_vm_get_reg(vm, ID_AA64PFR1_EL1, &pfr1);

	if (ret)
		return ret;
	if (!(pfr1 & SSBS_MASK))
		return -ENOENT;
	return ksr_vm_set_reg(vm, ID_AA64PFR1_EL1, pfr1 & ~SSBS_MASK);
}

/* ksr_check() of a configuration of this one value: accepted (1), refused (0), or -1. */
static int check_accepts(const struct ksr_rules *rules, const struct ksr_reg *reg, uint64_t value)
{
	struct ksr_config *cfg;
	struct ksr_report *rep;
	int ret = -1;

	if (ksr_config_new(&cfg))
		return -1;
	if (!ksr_config_set_id(cfg, ksr_reg_id(reg), value) &&
	    !ksr_check(rules, cfg, &rep, NULL, 0)) {
		ret = ksr_report_ok(rep);
		ksr_report_free(rep);
	}
	ksr_config_free(cfg);
	return ret;
}

/* The naive model: only bits of the default, stored as written. */
static bool naive_right(uint64_t def, uint64_t value, int ret, uint64_t back)
{
	bool accept = !(value & ~def);

	return accept == !ret && (ret || back == value);
}

/* One write, predicted against actual; false when KVM itself failed. */
static bool trial(struct ksr_vm *vm, const struct ksr_rules *rules, const struct ksr_reg *reg,
		  uint64_t def, uint64_t value, struct tally *t)
{
	uint64_t id = ksr_reg_id(reg), cur, back;
	struct ksr_verdict v;
	int ret, check;

	if (ksr_vm_get_reg(vm, id, &cur))
		return false;
	ksr_predict(reg, value, cur, &v);
	ret = ksr_vm_set_reg(vm, id, value);
	if (ksr_vm_get_reg(vm, id, &back))
		return false;
	check = check_accepts(rules, reg, value);
	t->trials++;
	t->naive_wrong += !naive_right(def, value, ret, back);
	if (v.error != ret || (ret ? back != cur : back != v.stored) || check != !ret) {
		if (++t->mismatches <= MAX_REPORTED)
			ksft_print_msg("MISMATCH %s value %#" PRIx64 " (current %#" PRIx64
				       "): predicted %s (%d) stored %#" PRIx64 ", check %d, KVM %s (%d) read back %#"
				       PRIx64 "\n", ksr_reg_name(reg), value, cur,
				       v.accept ? "accept" : "reject", v.error, v.stored, check,
				       ret ? "reject" : "accept", ret, back);
	}
	/* Back to the default for the next trial */
	return back == def || !ksr_vm_set_reg(vm, id, def);
}

/*
 * Every trial value on every firmware register of rules; returns the
 * mismatches, or -1 when KVM failed a read-back or a restore.
 */
static long run_trials(struct ksr_vm *vm, const struct ksr_rules *rules, const char *state)
{
	unsigned long total = 0, bad = 0, naive = 0;

	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++) {
		const struct ksr_reg *reg = ksr_rules_reg(rules, i);
		uint64_t values[FW_MAX_TRIALS], def, known;
		struct tally t = { 0 };
		unsigned int n;

		if (ksr_reg_kind(reg) != KSR_REG_KIND_FIRMWARE)
			continue;
		if (ksr_vm_get_reg(vm, ksr_reg_id(reg), &def))
			return -1;
		known = fw_is_bitmap(ksr_reg_id(reg)) ? ksr_reg_writable_mask(reg) | def : 0;
		rng_seed(seed ^ ksr_reg_id(reg));
		n = fw_trial_values(ksr_reg_id(reg), def, known, values);
		for (unsigned int j = 0; j < n; j++)
			if (!trial(vm, rules, reg, def, values[j], &t))
				return -1;
		ksft_print_msg("%s %s: %lu trials, %lu mismatches\n", state, ksr_reg_name(reg),
			       t.trials, t.mismatches);
		ksft_print_msg("naive %s %s: %lu of %lu wrong\n", state, ksr_reg_name(reg),
			       t.naive_wrong, t.trials);
		total += t.trials;
		bad += t.mismatches;
		naive += t.naive_wrong;
	}
	ksft_print_msg("total %s: %lu trials, %lu mismatches, seed %" PRIu64 "\n", state, total,
		       bad, seed);
	ksft_print_msg("naive model %s: %lu of %lu trials wrong\n", state, naive, total);
	return total ? (long)bad : -1;
}

/* The firmware registers of rules are exactly those KVM_GET_REG_LIST lists. */
static bool same_registers(struct ksr_vm *vm, const struct ksr_rules *rules)
{
	uint64_t ids[MAX_FW_REGS];
	unsigned int n = fw_listed_regs(ksr_vm_vcpu_fd(vm), ids, MAX_FW_REGS), found = 0;

	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++) {
		const struct ksr_reg *reg = ksr_rules_reg(rules, i);
		bool listed = false;

		if (ksr_reg_kind(reg) != KSR_REG_KIND_FIRMWARE)
			continue;
		for (unsigned int j = 0; j < n; j++)
			listed |= ids[j] == ksr_reg_id(reg);
		if (!listed) {
			ksft_print_msg("%s is reported, not listed\n", ksr_reg_name(reg));
			return false;
		}
		found++;
	}
	if (found != n)
		ksft_print_msg("KVM_GET_REG_LIST lists %u firmware registers, the rules have %u\n",
			       n, found);
	return found == n;
}

FIXTURE(fw) {
	struct ksr_vm *vm;
	struct ksr_rules *rules;
};

FIXTURE_VARIANT(fw) {
	unsigned int features;
	bool hide_ssbs;
};

FIXTURE_VARIANT_ADD(fw, psci_0_1) { .features = 0 };
FIXTURE_VARIANT_ADD(fw, psci_0_1_pmu) { .features = KSR_FEAT_PMU };
FIXTURE_VARIANT_ADD(fw, psci_0_2) { .features = KSR_FEAT_PSCI_0_2 };
FIXTURE_VARIANT_ADD(fw, psci_0_2_pmu) { .features = KSR_FEAT_PSCI_0_2 | KSR_FEAT_PMU };
FIXTURE_VARIANT_ADD(fw, psci_0_2_ssbs_hidden) {
	.features = KSR_FEAT_PSCI_0_2,
	.hide_ssbs = true,
};

FIXTURE_SETUP(fw)
{
	char err[256];
	int ret;

	self->vm = NULL;
	self->rules = NULL;
	ret = ksr_vm_open(&self->vm, variant->features, err, sizeof(err));
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s", err);
	ASSERT_EQ(0, ret) TH_LOG("cannot create the VM: %s", err);
	if (variant->hide_ssbs) {
		ret = hide_ssbs(self->vm);
		if (ret == -ENOENT)
			SKIP(return, "the host has no SSBS");
		ASSERT_EQ(0, ret) TH_LOG("cannot lower ID_AA64PFR1_EL1.SSBS: %s", strerror(-ret));
	}
	ret = ksr_rules_from_vm(self->vm, &self->rules, err, sizeof(err));
	ASSERT_EQ(0, ret) TH_LOG("%s", err);
	ASSERT_TRUE(same_registers(self->vm, self->rules));
	ksft_print_msg("seed %" PRIu64 " (rerun with --seed %" PRIu64 ")\n", seed, seed);
}

FIXTURE_TEARDOWN(fw)
{
	ksr_rules_free(self->rules);
	ksr_vm_close(self->vm);
}

TEST_F(fw, before_run)
{
	EXPECT_EQ(0, run_trials(self->vm, self->rules, "before-run"));
}

TEST_F(fw, after_run)
{
	struct ksr_rules *after = NULL;
	char err[256];
	int ret;

	ret = fw_run_once(ksr_vm_fd(self->vm), ksr_vm_vcpu_fd(self->vm),
			  !!(variant->features & KSR_FEAT_PMU));
	ASSERT_EQ(0, ret) TH_LOG("KVM_RUN: %s", strerror(-ret));
	ret = ksr_rules_from_vm(self->vm, &after, err, sizeof(err));
	ASSERT_EQ(0, ret) TH_LOG("%s", err);
	EXPECT_EQ(0, run_trials(self->vm, after, "after-run"));
	ksr_rules_free(after);
}

/* Does a firmware register have the same rule in both? */
static bool same_rule(const struct ksr_reg *a, const struct ksr_reg *b)
{
	if (ksr_reg_default(a) != ksr_reg_default(b) ||
	    ksr_reg_writable_mask(a) != ksr_reg_writable_mask(b) ||
	    (ksr_reg_flags(a) & KSR_REG_BITMAP) != (ksr_reg_flags(b) & KSR_REG_BITMAP) ||
	    ksr_reg_nr_values(a) != ksr_reg_nr_values(b))
		return false;
	for (unsigned int i = 0; i < ksr_reg_nr_values(a); i++) {
		uint64_t va, ra, vb, rb;

		if (ksr_reg_value(a, i, &va, &ra) || ksr_reg_value(b, i, &vb, &rb) ||
		    va != vb || ra != rb)
			return false;
	}
	return true;
}

TEST(follows_id_regs)
{
	struct ksr_rules *plain = NULL, *hidden = NULL;
	struct ksr_vm *vm = NULL, *vm_hidden = NULL;
	unsigned int differ = 0;
	char err[256];
	int ret;

	ASSERT_EQ(0, ksr_vm_open(&vm, KSR_FEAT_PSCI_0_2, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, ksr_vm_open(&vm_hidden, KSR_FEAT_PSCI_0_2, err, sizeof(err))) TH_LOG("%s", err);
	ret = hide_ssbs(vm_hidden);
	if (ret == -ENOENT) {
		ksr_vm_close(vm);
		ksr_vm_close(vm_hidden);
		SKIP(return, "the host has no SSBS");
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, ksr_rules_from_vm(vm, &plain, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, ksr_rules_from_vm(vm_hidden, &hidden, err, sizeof(err))) TH_LOG("%s", err);
	for (unsigned int i = 0; i < ksr_rules_nr_regs(plain); i++) {
		const struct ksr_reg *a = ksr_rules_reg(plain, i), *b;

		if (ksr_reg_kind(a) != KSR_REG_KIND_FIRMWARE)
			continue;
		b = ksr_rules_find_id(hidden, ksr_reg_id(a));
		ASSERT_NE(NULL, b);
		if (same_rule(a, b))
			continue;
		differ++;
		ksft_print_msg("%s: default %#" PRIx64 " with SSBS, %#" PRIx64 " without\n",
			       ksr_reg_name(a), ksr_reg_default(a), ksr_reg_default(b));
		EXPECT_TRUE(ksr_reg_flags(a) & KSR_REG_FOLLOWS_ID_REGS);
		EXPECT_TRUE(ksr_reg_flags(b) & KSR_REG_FOLLOWS_ID_REGS);
	}
	ksft_print_msg("%u firmware register(s) change with ID_AA64PFR1_EL1.SSBS\n", differ);
	ksr_rules_free(plain);
	ksr_rules_free(hidden);
	ksr_vm_close(vm);
	ksr_vm_close(vm_hidden);
}

int main(int argc, char **argv)
{
	int n = take_seed_option(argc, argv, "fw_differential", &seed);

	if (n < 0)
		return KSFT_FAIL;
	/* The tests print from forked children that end with _exit(). */
	setbuf(stdout, NULL);
	return test_harness_run(n, argv);
}
