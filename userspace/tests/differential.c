// SPDX-License-Identifier: GPL-2.0
/*
 * differential - the exported rules against KVM, value by value.
 *
 *	differential [--seed N] [kselftest_harness options: -l, -v VARIANT, -t TEST, ...]
 *
 * A kselftest_harness test. For every ID register KVM_ARM_GET_REG_SAFE_RULES
 * reports (the firmware registers: fw_differential.c), it writes trial values with KVM_SET_ONE_REG into a VM at its
 * defaults and compares the outcome (accept or reject, the error, and on
 * accept the value KVM_GET_ONE_REG reads back) with what the library's
 * predictor, ksr_predict(), says from the exported rules, and whether
 * ksr_check() (what `kvm-safe-rules check` and a VMM call) accepts the
 * value as a configuration. Three tests, each on three VMs
 * (variants: no optional vCPU feature, a PMU, SVE; SVE is skipped where the
 * host has none):
 *
 *   single_field_values  every value of each field up to 4 bits wide; for
 *                        wider fields 0, 1, the default, default +-1, all
 *                        ones, the sign boundaries and 64 random values
 *   multi_field_random   256 random values per register, each field
 *                        randomised with probability 1/2
 *   bits_outside_fields  every bit that belongs to no field, flipped
 *
 * Every trial starts from the register's default. Each test prints its
 * trials per register and in total, and every mismatch (up to 20 per
 * register) with the fields changed, the predicted and the actual outcome.
 * The seed is printed; --seed N reproduces a run.
 *
 * The same trials measure the "naive model", what a VMM that knows only the
 * writable mask would predict if it took every 4-bit field as unsigned with
 * any value up to the default safe: bits outside the mask must equal the
 * default, and a trial is accepted when each 4-bit nibble of the mask is at
 * most the default's. Its wrong predictions are counted per field over the
 * trials that change only that field (or only bits in no field), and
 * separately over multi-field trials; they are reported as "# naive" lines:
 * evidence for Documentation/naive-model.rst, not test failures.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kvm.h>

#include "kselftest_harness.h"
#include "rng.h"
#include "seed.h"
#include "predict.h"
#include "rules.h"
#include "vm.h"

#define RANDOM_PER_WIDE_FIELD	64
#define RANDOM_PER_REGISTER	256
#define MAX_REPORTED		20
#define MAX_FIELDS		64

static uint64_t seed;

struct run {
	struct ksr_vm *vm;
	const struct ksr_rules *rules;
	const struct ksr_reg *reg;
	uint64_t def;
	unsigned long trials, mismatches;
	unsigned long naive_wrong;
	unsigned long naive_multi;			/* misses with several fields changed */
	unsigned long naive_field[MAX_FIELDS + 1];	/* last: bits in no field */
};

static uint64_t with_field(const struct ksr_field *f, uint64_t reg, uint64_t raw)
{
	return (reg & ~ksr_field_mask(f)) | ((raw << f->shift) & ksr_field_mask(f));
}

/* The naive model: writable mask, unsigned 4-bit fields, up to the default. */
static bool naive_accept(const struct ksr_reg *reg, uint64_t def, uint64_t value)
{
	uint64_t mask = reg->writable_mask;

	if ((value ^ def) & ~mask)
		return false;
	for (int shift = 0; shift < 64; shift += 4) {
		uint64_t m = 0xfull << shift;

		if ((mask & m) && (value & m) > (def & m))
			return false;
	}
	return true;
}

static void naive_trial(struct run *r, uint64_t value, int ret, uint64_t back)
{
	bool naive = naive_accept(r->reg, r->def, value);
	uint64_t seen = 0;
	int culprit = -1;

	if (naive == !ret && (ret || back == value))
		return;
	r->naive_wrong++;
	/* Attribute the miss only when one field (or only bits in none) differs. */
	for (unsigned int i = 0; i < r->reg->nr_fields && i < MAX_FIELDS; i++) {
		const struct ksr_field *f = &r->reg->fields[i];
		uint64_t m = ksr_field_mask(f);

		seen |= m;
		if ((value ^ r->def) & m) {
			if (culprit >= 0) {
				r->naive_multi++;
				return;
			}
			culprit = i;
		}
	}
	if ((value ^ r->def) & ~seen) {
		if (culprit >= 0) {
			r->naive_multi++;
			return;
		}
		culprit = MAX_FIELDS;
	}
	r->naive_field[culprit]++;
}

/* The fields value changes from the default, as NAME=VALUE,... */
static void describe(const struct ksr_reg *reg, uint64_t value, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < reg->nr_fields && n < len; i++) {
		const struct ksr_field *f = &reg->fields[i];

		if ((value ^ reg->limit) & ksr_field_mask(f))
			n += snprintf(buf + n, len - n, "%s%s=%#" PRIx64, n ? "," : "",
				      f->name ? f->name : "?", (value & ksr_field_mask(f)) >> f->shift);
	}
}

static const char *reg_name(const struct ksr_reg *reg, char *buf, size_t len)
{
	return ksr_encoding_name(reg->enc, buf, len);
}

/*
 * ksr_check(), what `kvm-safe-rules check` and a VMM call, on a
 * configuration of this one value: accepted (1), refused (0), or -1.
 */
static int check_accepts(const struct run *r, uint64_t value)
{
	struct ksr_config *cfg;
	struct ksr_report *rep;
	int ret = -1;

	if (ksr_config_new(&cfg))
		return -1;
	if (!ksr_config_set(cfg, r->reg->enc, value) &&
	    !ksr_check(r->rules, cfg, &rep, NULL, 0)) {
		ret = ksr_report_ok(rep);
		ksr_report_free(rep);
	}
	ksr_config_free(cfg);
	return ret;
}

/* One write: predicted against actual; returns false when KVM misbehaved. */
static bool trial(struct run *r, uint64_t value)
{
	struct ksr_verdict v;
	uint64_t back = 0;
	char name[32];
	int ret;

	r->trials++;
	ksr_predict(r->reg, value, r->def, &v);
	ret = ksr_vm_set_reg(r->vm, r->reg->id, value);
	if (ksr_vm_get_reg(r->vm, r->reg->id, &back)) {
		ksft_print_msg("KVM_GET_ONE_REG %s failed\n", reg_name(r->reg, name, sizeof(name)));
		return false;
	}

	naive_trial(r, value, ret, back);
	if (v.error != ret || (ret ? back != r->def : back != v.stored) ||
	    check_accepts(r, value) != !ret) {
		char fields[256];

		if (++r->mismatches <= MAX_REPORTED) {
			describe(r->reg, value, fields, sizeof(fields));
			ksft_print_msg("MISMATCH %s value %#018" PRIx64 " (%s): predicted %s (%d) stored %#" PRIx64
				       ", check %d, KVM %s (%d) read back %#" PRIx64 "\n",
				       reg_name(r->reg, name, sizeof(name)), value, fields,
				       v.accept ? "accept" : "reject", v.error, v.stored,
				       check_accepts(r, value), ret ? "reject" : "accept", ret, back);
		}
	}
	/* Back to the defaults for the next trial. */
	if (back != r->def && ksr_vm_set_reg(r->vm, r->reg->id, r->def)) {
		ksft_print_msg("cannot restore the default of %s\n", reg_name(r->reg, name, sizeof(name)));
		return false;
	}
	return true;
}

static bool single_field_values(struct run *r)
{
	bool ok = true;

	for (unsigned int i = 0; i < r->reg->nr_fields; i++) {
		const struct ksr_field *f = &r->reg->fields[i];
		uint64_t all = ksr_field_mask(f) >> f->shift;
		uint64_t d = (r->def & ksr_field_mask(f)) >> f->shift;
		uint64_t special[] = { 0, 1, d, d + 1, d - 1, all, 1ull << (f->width - 1),
				       (1ull << (f->width - 1)) - 1 };

		if (f->width <= 4) {
			for (uint64_t x = 0; x <= all; x++)
				ok &= trial(r, with_field(f, r->def, x));
			continue;
		}
		for (size_t j = 0; j < ARRAY_SIZE(special); j++)
			ok &= trial(r, with_field(f, r->def, special[j]));
		for (int j = 0; j < RANDOM_PER_WIDE_FIELD; j++)
			ok &= trial(r, with_field(f, r->def, rng()));
	}
	return ok;
}

static bool multi_field_random(struct run *r)
{
	bool ok = true;

	for (int i = 0; i < RANDOM_PER_REGISTER; i++) {
		uint64_t value = r->def;

		if (!r->reg->nr_fields) {
			ok &= trial(r, rng() & rng());
			continue;
		}
		for (unsigned int j = 0; j < r->reg->nr_fields; j++)
			if (rng() & 1)
				value = with_field(&r->reg->fields[j], value, rng());
		ok &= trial(r, value);
	}
	return ok;
}

static bool bits_outside_fields(struct run *r)
{
	uint64_t fields = 0;
	bool ok = true;

	for (unsigned int i = 0; i < r->reg->nr_fields; i++)
		fields |= ksr_field_mask(&r->reg->fields[i]);
	for (int bit = 0; bit < 64; bit++)
		if (!(fields & (1ull << bit)))
			ok &= trial(r, r->def ^ (1ull << bit));
	return ok;
}

FIXTURE(differential) {
	struct ksr_vm *vm;
	struct ksr_rules *rules;
};

FIXTURE_VARIANT(differential) {
	unsigned int features;
};

FIXTURE_VARIANT_ADD(differential, no_features) { .features = 0 };
FIXTURE_VARIANT_ADD(differential, pmu) { .features = KSR_FEAT_PMU };
FIXTURE_VARIANT_ADD(differential, sve) { .features = KSR_FEAT_SVE };

FIXTURE_SETUP(differential)
{
	char err[256];
	int ret;

	self->vm = NULL;
	self->rules = NULL;
	ret = ksr_vm_open(&self->vm, variant->features, err, sizeof(err));
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s", err);
	ASSERT_EQ(0, ret) TH_LOG("cannot create the VM: %s", err);
	ret = ksr_rules_from_vm(self->vm, &self->rules, err, sizeof(err));
	ASSERT_EQ(0, ret) TH_LOG("%s", err);
	ASSERT_LT(0, self->rules->nr_regs);
	rng_seed(seed);
	ksft_print_msg("seed %" PRIu64 " (rerun with --seed %" PRIu64 ")\n", seed, seed);
}

FIXTURE_TEARDOWN(differential)
{
	ksr_rules_free(self->rules);
	ksr_vm_close(self->vm);
}

/*
 * Runs one kind of trial on every register; prints the trials per register
 * and in total and the naive model's misses. Returns the mismatches, or -1
 * when KVM itself failed (a read-back or a restore).
 */
static long run_all(struct ksr_vm *vm, const struct ksr_rules *rules, const char *kind,
		    bool (*trials)(struct run *r))
{
	unsigned long total = 0, bad = 0, naive = 0, naive_multi = 0;
	char name[32];

	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		struct run r = { .vm = vm, .rules = rules, .reg = &rules->regs[i] };

		/* The firmware registers have their own differential (fw_differential.c) */
		if (r.reg->kind != KSR_REG_KIND_ID)
			continue;
		if (ksr_vm_get_reg(vm, r.reg->id, &r.def) || !trials(&r))
			return -1;
		total += r.trials;
		bad += r.mismatches;
		naive += r.naive_wrong;
		naive_multi += r.naive_multi;
		for (unsigned int j = 0; j <= MAX_FIELDS; j++) {
			const struct ksr_field *f = j < r.reg->nr_fields ? &r.reg->fields[j] : NULL;

			if (!r.naive_field[j] || (j < MAX_FIELDS && !f))
				continue;
			ksft_print_msg("naive %s.%s: %lu wrong\n", reg_name(r.reg, name, sizeof(name)),
				       j == MAX_FIELDS ? "(bits in no field)" : (f->name ? f->name : "?"),
				       r.naive_field[j]);
		}
		ksft_print_msg("%s %s: %lu trials, %lu mismatches\n", kind,
			       reg_name(r.reg, name, sizeof(name)), r.trials, r.mismatches);
	}
	ksft_print_msg("total: %lu trials, %lu mismatches, seed %" PRIu64 "\n", total, bad, seed);
	ksft_print_msg("naive model: %lu of %lu trials wrong (%lu of them changing several fields)\n",
		       naive, total, naive_multi);
	return bad;
}

TEST_F_TIMEOUT(differential, single_field_values, 300)
{
	EXPECT_EQ(0, run_all(self->vm, self->rules, "single-field", single_field_values));
}

TEST_F_TIMEOUT(differential, multi_field_random, 300)
{
	EXPECT_EQ(0, run_all(self->vm, self->rules, "multi-field", multi_field_random));
}

TEST_F_TIMEOUT(differential, bits_outside_fields, 300)
{
	EXPECT_EQ(0, run_all(self->vm, self->rules, "outside-fields", bits_outside_fields));
}

int main(int argc, char **argv)
{
	int n = take_seed_option(argc, argv, "differential", &seed);

	if (n < 0)
		return KSFT_FAIL;
	/* The tests print from forked children that end with _exit(). */
	setbuf(stdout, NULL);
	return test_harness_run(n, argv);
}
