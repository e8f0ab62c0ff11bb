// SPDX-License-Identifier: GPL-2.0
/*
 * differential - the exported rules against KVM, value by value.
 *
 *	differential [--seed N] [--pmu] [--sve] [--pauth]
 *
 * For every register KVM_GET_REG_SAFE_RULES reports, writes trial values
 * with KVM_SET_ONE_REG into a VM at its defaults and compares the outcome
 * (accept or reject, the error, and on accept the value KVM_GET_ONE_REG
 * reads back) with what the library's predictor says from the exported
 * rules. Trial values: every value of each field up to 4 bits wide; for
 * wider fields 0, 1, the default, default +-1, all ones, the sign
 * boundaries and 64 random values; 256 random multi-field values per
 * register; and every single bit flipped outside the fields. All in the
 * register's default otherwise. One TAP result per register.
 *
 * The same trials also measure the "naive model", what a VMM that knows
 * only the writable mask would predict if it took every 4-bit field as
 * unsigned with any value up to the default safe: bits outside the mask
 * must equal the default, and a trial is accepted when each 4-bit nibble
 * of the mask is at most the default's. Its wrong predictions are counted
 * per field over the trials that change only that field (or only bits in
 * no field), and separately over multi-field trials; they are reported as
 * "# naive" lines: evidence, not test failures.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/kvm.h>

#include "kselftest.h"
#include "rng.h"
#include "predict.h"
#include "rules.h"
#include "vm.h"

#define RANDOM_PER_WIDE_FIELD	64
#define RANDOM_PER_REGISTER	256
#define MAX_REPORTED		20

static uint64_t with_field(const struct ksr_field *f, uint64_t reg, uint64_t raw)
{
	return (reg & ~ksr_field_mask(f)) | ((raw << f->shift) & ksr_field_mask(f));
}

#define MAX_FIELDS 64

struct run {
	struct ksr_vm *vm;
	const struct ksr_reg *reg;
	uint64_t def;
	unsigned long trials, mismatches;
	unsigned long naive_wrong;
	unsigned long naive_multi;			/* misses with several fields changed */
	unsigned long naive_field[MAX_FIELDS + 1];	/* last: bits in no field */
};

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

static void trial(struct run *r, uint64_t value)
{
	struct ksr_verdict v;
	uint64_t back = 0;
	int ret;
	bool same;

	r->trials++;
	ksr_predict(r->reg, value, r->def, &v);
	ret = ksr_vm_set_reg(r->vm, r->reg->id, value);
	if (ksr_vm_get_reg(r->vm, r->reg->id, &back))
		ksft_exit_fail_msg("KVM_GET_ONE_REG %#" PRIx64 " failed\n", r->reg->id);

	same = v.error == ret && (ret ? back == r->def : back == v.stored);
	naive_trial(r, value, ret, back);
	if (!same) {
		char fields[256];

		if (++r->mismatches <= MAX_REPORTED) {
			describe(r->reg, value, fields, sizeof(fields));
			ksft_print_msg("MISMATCH %s value %#018" PRIx64 " (%s): predicted %s (%d) stored %#" PRIx64
				       ", KVM %s (%d) read back %#" PRIx64 "\n",
				       r->reg->name ? r->reg->name : "?", value, fields,
				       v.accept ? "accept" : "reject", v.error, v.stored,
				       ret ? "reject" : "accept", ret, back);
		}
	}
	/* Back to the defaults for the next trial. */
	if (back != r->def && ksr_vm_set_reg(r->vm, r->reg->id, r->def))
		ksft_exit_fail_msg("cannot restore the default of %s\n", r->reg->name ? r->reg->name : "?");
}

static void field_trials(struct run *r, const struct ksr_field *f)
{
	uint64_t all = ksr_field_mask(f) >> f->shift;
	uint64_t d = (r->def & ksr_field_mask(f)) >> f->shift;

	if (f->width <= 4) {
		for (uint64_t x = 0; x <= all; x++)
			trial(r, with_field(f, r->def, x));
		return;
	}
	trial(r, with_field(f, r->def, 0));
	trial(r, with_field(f, r->def, 1));
	trial(r, with_field(f, r->def, d));
	trial(r, with_field(f, r->def, d + 1));
	trial(r, with_field(f, r->def, d - 1));
	trial(r, with_field(f, r->def, all));
	trial(r, with_field(f, r->def, 1ull << (f->width - 1)));
	trial(r, with_field(f, r->def, (1ull << (f->width - 1)) - 1));
	for (int i = 0; i < RANDOM_PER_WIDE_FIELD; i++)
		trial(r, with_field(f, r->def, rng()));
}

static void register_trials(struct run *r)
{
	uint64_t fields = 0;

	for (unsigned int i = 0; i < r->reg->nr_fields; i++) {
		field_trials(r, &r->reg->fields[i]);
		fields |= ksr_field_mask(&r->reg->fields[i]);
	}
	for (int i = 0; i < RANDOM_PER_REGISTER; i++) {
		uint64_t value = r->def;

		if (!r->reg->nr_fields) {
			trial(r, rng() & rng());
			continue;
		}
		for (unsigned int j = 0; j < r->reg->nr_fields; j++)
			if (rng() & 1)
				value = with_field(&r->reg->fields[j], value, rng());
		trial(r, value);
	}
	for (int bit = 0; bit < 64; bit++)
		if (!(fields & (1ull << bit)))
			trial(r, r->def ^ (1ull << bit));
}

int main(int argc, char **argv)
{
	unsigned long total = 0, bad = 0, naive = 0, naive_multi = 0;
	unsigned int features = 0;
	struct ksr_rules *rules;
	uint64_t seed = (uint64_t)time(NULL);
	struct ksr_vm *vm;
	char err[256];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else if (!strncmp(argv[i], "--", 2) && ksr_feature_from_name(argv[i] + 2)) {
			features |= ksr_feature_from_name(argv[i] + 2);
		} else {
			fprintf(stderr, "usage: differential [--seed N] [--pmu] [--sve] [--pauth]\n");
			return KSFT_FAIL;
		}
	}
	rng_seed(seed);

	ksft_print_header();
	if (ksr_vm_open(&vm, features, err, sizeof(err)))
		ksft_exit_skip("cannot create the VM: %s\n", err);
	if (ksr_rules_from_vm(vm, &rules, err, sizeof(err)))
		ksft_exit_skip("%s\n", err);
	ksft_print_msg("seed %" PRIu64 " (rerun with --seed %" PRIu64 ")\n", seed, seed);
	ksft_set_plan(rules->nr_regs);

	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		struct run r = { .vm = vm, .reg = &rules->regs[i] };
		char name[32];

		if (ksr_vm_get_reg(vm, r.reg->id, &r.def))
			ksft_exit_fail_msg("KVM_GET_ONE_REG failed\n");
		register_trials(&r);
		total += r.trials;
		bad += r.mismatches;
		naive += r.naive_wrong;
		naive_multi += r.naive_multi;
		for (unsigned int j = 0; j <= MAX_FIELDS; j++) {
			const struct ksr_field *f = j < r.reg->nr_fields ? &r.reg->fields[j] : NULL;

			if (!r.naive_field[j] || (j < MAX_FIELDS && !f))
				continue;
			ksft_print_msg("naive %s.%s: %lu wrong\n",
				       ksr_encoding_name(r.reg->enc, name, sizeof(name)),
				       j == MAX_FIELDS ? "(bits in no field)" : (f->name ? f->name : "?"),
				       r.naive_field[j]);
		}
		ksft_test_result(r.mismatches == 0, "%s: %lu trials, %lu mismatches\n",
				 ksr_encoding_name(r.reg->enc, name, sizeof(name)),
				 r.trials, r.mismatches);
	}
	ksft_print_msg("total: %lu trials, %lu mismatches, seed %" PRIu64 "\n", total, bad, seed);
	ksft_print_msg("naive model: %lu of %lu trials wrong (%lu of them changing several fields)\n",
		       naive, total, naive_multi);
	ksr_rules_free(rules);
	ksr_vm_close(vm);
	ksft_finished();
}
