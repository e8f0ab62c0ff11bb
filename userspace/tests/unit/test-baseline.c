// SPDX-License-Identifier: GPL-2.0
/*
 * ksr_baseline() over the fixtures: every pair either has a baseline both
 * profiles accept (ksr_predict()) or blockers that really block (no value
 * of the bits is accepted by both, enumerated through the predictor); the
 * 7 models have none, for ID_AA64PFR0_EL1 FP/AdvSIMD and CTR_EL0 among
 * others; missing registers and conflicting vCPU features.
 */
#include <errno.h>
#include <inttypes.h>

#include "unit.h"

/*
 * Does any value of the bits of mask (in place) pass on both? Enumerated up
 * to 16 bits; a firmware value list: any of the values either lists or its
 * default.
 */
static bool common_value(const struct ksr_reg *a, const struct ksr_reg *b, uint64_t mask)
{
	unsigned int bits[64], n = 0;

	assert_non_null(a);
	assert_non_null(b);
	if (ksr_reg_is_value_list(a) || ksr_reg_is_value_list(b)) {
		for (unsigned int p = 0; p < 2; p++) {
			const struct ksr_reg *r = p ? b : a;
			uint64_t x = r->limit;

			for (unsigned int i = 0; i <= ksr_reg_nr_values(r); i++) {
				if (accepts(a, x) && accepts(b, x))
					return true;
				if (i < ksr_reg_nr_values(r))
					assert_int_equal(ksr_reg_value(r, i, &x, NULL), 0);
			}
		}
		return false;
	}
	for (unsigned int i = 0; i < 64; i++)
		if (mask & (1ull << i))
			bits[n++] = i;
	assert_true(n > 0 && n <= 16);
	for (uint64_t x = 0; x < (1ull << n); x++) {
		uint64_t v = 0;

		for (unsigned int i = 0; i < n; i++)
			if (x & (1ull << i))
				v |= 1ull << bits[i];
		if (accepts(a, (a->limit & ~mask) | v) && accepts(b, (b->limit & ~mask) | v))
			return true;
	}
	return false;
}

static unsigned int blockers(const struct ksr_report *rep)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < ksr_report_nr(rep); i++)
		n += finding(rep, i).kind == KSR_FINDING_BLOCKER;
	return n;
}

static void test_every_pair(void **state)
{
	struct ksr_rules *rules[8];
	unsigned int with = 0, without = 0;
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			const struct ksr_rules *two[2] = { rules[a], rules[b] };
			struct ksr_report *rep;
			unsigned int i;
			uint64_t id, v;

			assert_int_equal(ksr_baseline(two, 2, &rep, NULL, 0), 0);
			if (a == b)
				assert_true(ksr_report_ok(rep));
			if (ksr_report_ok(rep)) {
				const struct ksr_config *cfg = ksr_report_config(rep);

				assert_int_equal(blockers(rep), 0);
				assert_int_equal(ksr_config_nr(cfg), rules[a]->nr_regs);
				for (i = 0; !ksr_config_entry_id(cfg, i, &id, &v); i++) {
					assert_true(accepts(ksr_rules_find_id(rules[a], id), v));
					assert_true(accepts(ksr_rules_find_id(rules[b], id), v));
				}
				assert_int_equal(i, rules[a]->nr_regs);
				with++;
			} else {
				assert_null(ksr_report_config(rep));
				assert_true(blockers(rep) > 0);
				for (i = 0; i < ksr_report_nr(rep); i++) {
					struct ksr_finding f = finding(rep, i);

					if (f.kind != KSR_FINDING_BLOCKER)
						continue;
					assert_int_equal(f.nr_profiles, 2);
					assert_false(common_value(ksr_rules_find_id(rules[a], f.reg_id),
								  ksr_rules_find_id(rules[b], f.reg_id), f.mask));
				}
				without++;
			}
			ksr_report_free(rep);
		}
	}
	assert_true(with >= n && without > 0);
	free_all(rules, n, &g);
}

/*
 * Is raw richer than best for a guest, by the field's rule? (LOWER_SAFE and
 * EXACT: greater; HIGHER_SAFE: less; HIGHER_OR_ZERO_SAFE: less but not 0.)
 */
static bool richer(const struct ksr_field *f, uint64_t raw, uint64_t best)
{
	int64_t v = ksr_field_get(f, with_field(f, 0, raw)), w = ksr_field_get(f, with_field(f, 0, best));

	switch (ksr_field_rule(f)) {
	case KSR_RULE_HIGHER_OR_ZERO_SAFE:
		return v != 0 && (w == 0 || v < w);
	case KSR_RULE_HIGHER_SAFE:
		return v < w;
	default:
		return v > w;
	}
}

static bool is_alias_from(const struct ksr_field *f, uint64_t raw)
{
	uint64_t from, to;

	ksr_field_alias(f, &from, &to);
	return (ksr_field_flags(f) & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST)) && raw == from;
}

/*
 * A firmware value list's choice (the configuration's value): accepted by
 * both; the greater default both accept when there is one, else no listed
 * value both accept is greater.
 */
static void richest_value(const struct ksr_config *cfg, const struct ksr_reg *ra,
			  const struct ksr_reg *rb, uint64_t chosen)
{
	uint64_t got;

	assert_int_equal(ksr_config_find_id(cfg, ksr_reg_id(ra), &got), 0);
	assert_int_equal(got, chosen);
	assert_true(accepts(ra, chosen) && accepts(rb, chosen));
	for (unsigned int p = 0; p < 2; p++) {
		uint64_t d = p ? rb->limit : ra->limit, other = p ? ra->limit : rb->limit;
		bool other_common = accepts(ra, other) && accepts(rb, other);

		if (accepts(ra, d) && accepts(rb, d) && (!other_common || d >= other)) {
			assert_int_equal(chosen, d);
			return;
		}
	}
	for (unsigned int p = 0; p < 2; p++) {
		const struct ksr_reg *r = p ? rb : ra;

		for (unsigned int v = 0; v < ksr_reg_nr_values(r); v++) {
			uint64_t x;

			assert_int_equal(ksr_reg_value(r, v, &x, NULL), 0);
			assert_false(x > chosen && accepts(ra, x) && accepts(rb, x));
		}
	}
}

/*
 * A baseline field is the richest value both accept: no value both accept
 * is richer by the field's rule, and it is an alias's "from" value only
 * when nothing else is accepted (a firmware bitmap's bit: set when both
 * offer it). Over every pair of fixtures with a baseline; the pair
 * cortex-a57 + cortex-a72 differs in some field.
 */
static void test_richest(void **state)
{
	struct ksr_rules *rules[8];
	unsigned int pairs = 0, limited = 0, aliases = 0, values = 0, bits = 0;
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i; j < n; j++) {
			const struct ksr_rules *two[2] = { rules[i], rules[j] };
			struct ksr_report *rep;

			assert_int_equal(ksr_baseline(two, 2, &rep, NULL, 0), 0);
			if (!ksr_report_ok(rep)) {
				ksr_report_free(rep);
				continue;
			}
			pairs++;
			for (unsigned int k = 0; k < ksr_report_nr(rep); k++) {
				struct ksr_finding f = finding(rep, k);
				const struct ksr_reg *ra = ksr_rules_find_id(rules[i], f.reg_id);
				const struct ksr_reg *rb = ksr_rules_find_id(rules[j], f.reg_id);
				const struct ksr_field *fa;
				bool other = false;
				uint64_t got;

				assert_int_equal(f.kind, KSR_FINDING_CHOICE);
				assert_non_null(ra);
				assert_non_null(rb);
				if (ksr_reg_is_value_list(ra)) {
					richest_value(ksr_report_config(rep), ra, rb, f.value);
					values++;
					continue;
				}
				fa = ksr_reg_find_field(ra, f.field_name ?: "");
				if (!fa)
					continue;
				assert_int_equal(ksr_config_find_id(ksr_report_config(rep), f.reg_id, &got), 0);
				assert_int_equal(field_raw(fa, got), f.value);
				/* Ignored everywhere: the default, tested on its own below. */
				if (ra->flags & rb->flags & KSR_REG_WRITES_IGNORED)
					continue;
				for (uint64_t raw = 0; raw < (1ull << fa->width); raw++) {
					bool both = accepts(ra, with_field(fa, ra->limit, raw)) &&
						    accepts(rb, with_field(fa, rb->limit, raw));

					if (!both || raw == f.value)
						continue;
					other |= !is_alias_from(fa, raw);
					if (is_alias_from(fa, raw))
						continue;
					assert_false(!is_alias_from(fa, f.value) && richer(fa, raw, f.value));
				}
				assert_false(is_alias_from(fa, f.value) && other);
				aliases += (ksr_field_flags(fa) & KSR_FIELD_ALIAS) != 0;
				bits += ksr_reg_kind(ra) == KSR_REG_KIND_FIRMWARE;
				limited += f.profile_values[0] != f.profile_values[1];
			}
			ksr_report_free(rep);
		}
	}
	assert_true(pairs >= n);	/* every model with itself, at least */
	assert_true(limited > 0);	/* ID_MMFR0_EL1.AuxReg: 1 on cortex-a57, 2 on cortex-a72 */
	assert_true(aliases > 0);	/* PMUVer and PerfMon were among the fields */
	assert_true(values > 0);	/* KVM_REG_ARM_PSCI_VERSION and the workarounds */
	assert_true(bits > 0);		/* the firmware bitmaps' bits */
	free_all(rules, n, &g);
}

static bool has_blocker(const struct ksr_report *rep, const char *reg, const char *field)
{
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		if (f.kind == KSR_FINDING_BLOCKER && !strcmp(f.reg_name, reg) &&
		    (!field || (f.field_name && !strcmp(f.field_name, field))))
			return true;
	}
	return false;
}

/*
 * A register every profile ignores writes of takes the first profile's
 * default (what KVM keeps), not the greatest of the values "accepted".
 * a64fx ignores writes of its AArch32 ID registers.
 */
static void test_ignored_registers_keep_the_default(void **state)
{
	struct ksr_rules *a = model("a64fx");
	const struct ksr_rules *one[1] = { a };
	struct ksr_report *rep;
	unsigned int ignored = 0;

	(void)state;
	assert_int_equal(ksr_baseline(one, 1, &rep, NULL, 0), 0);
	assert_true(ksr_report_ok(rep));
	for (unsigned int i = 0; i < a->nr_regs; i++) {
		const struct ksr_reg *reg = &a->regs[i];
		uint64_t got;

		if (!(reg->flags & KSR_REG_WRITES_IGNORED))
			continue;
		ignored++;
		assert_int_equal(ksr_config_find(ksr_report_config(rep), reg->enc, &got), 0);
		assert_int_equal(got, reg->limit);
	}
	assert_true(ignored > 0);
	ksr_report_free(rep);
	ksr_rules_free(a);
}

static void test_seven_models(void **state)
{
	struct ksr_rules *rules[8];
	struct ksr_report *rep;
	glob_t g;
	size_t n = load_all(rules, &g);
	struct ksr_rules *max = model("max"), *a53 = model("cortex-a53"), *a57 = model("cortex-a57");
	const struct ksr_rules *pair[2];

	(void)state;
	assert_int_equal(ksr_baseline((const struct ksr_rules *const *)rules, (unsigned int)n, &rep, NULL, 0), 0);
	assert_false(ksr_report_ok(rep));
	assert_true(has_blocker(rep, "ID_AA64PFR0_EL1", "FP"));
	assert_true(has_blocker(rep, "ID_AA64PFR0_EL1", "AdvSIMD"));
	assert_true(has_blocker(rep, "CTR_EL0", NULL));
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		if (f.kind == KSR_FINDING_BLOCKER) {
			assert_int_equal(f.nr_profiles, n);
			assert_non_null(f.profile_values);
		}
	}
	ksr_report_free(rep);

	pair[0] = max;
	pair[1] = a57;
	assert_int_equal(ksr_baseline(pair, 2, &rep, NULL, 0), 0);
	assert_true(has_blocker(rep, "ID_AA64PFR0_EL1", "FP") && has_blocker(rep, "ID_AA64PFR0_EL1", "AdvSIMD"));
	ksr_report_free(rep);
	pair[0] = a53;
	assert_int_equal(ksr_baseline(pair, 2, &rep, NULL, 0), 0);
	assert_true(has_blocker(rep, "CTR_EL0", NULL));
	ksr_report_free(rep);
	ksr_rules_free(max);
	ksr_rules_free(a53);
	ksr_rules_free(a57);
	free_all(rules, n, &g);
}

/*
 * The order of the profiles does not change the baseline (but for the
 * registers every profile ignores writes of, which keep the first one's
 * default, see above): a64fx has no fields in its AArch32 ID registers,
 * the others have, and each field is taken from whichever profile has it.
 */
static void test_order_does_not_matter(void **state)
{
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			const struct ksr_rules *ab[2] = { rules[i], rules[j] }, *ba[2] = { rules[j], rules[i] };
			struct ksr_report *r1 = NULL, *r2 = NULL;
			char e1[512] = "", e2[512] = "";
			int ret1 = ksr_baseline(ab, 2, &r1, e1, sizeof(e1));
			int ret2 = ksr_baseline(ba, 2, &r2, e2, sizeof(e2));
			unsigned int k = 0;
			uint64_t id, v1, v2;

			if (ret1 != ret2)
				fail_msg("%s + %s: %d (%s), reversed %d (%s)", g.gl_pathv[i], g.gl_pathv[j],
					 ret1, e1, ret2, e2);
			if (ret1)
				continue;
			assert_int_equal(ksr_report_ok(r1), ksr_report_ok(r2));
			for (; ksr_report_ok(r1) && !ksr_config_entry_id(ksr_report_config(r1), k, &id, &v1); k++) {
				const struct ksr_reg *a = ksr_rules_find_id(rules[i], id);
				const struct ksr_reg *b = ksr_rules_find_id(rules[j], id);

				assert_int_equal(ksr_config_find_id(ksr_report_config(r2), id, &v2), 0);
				if (a->flags & b->flags & KSR_REG_WRITES_IGNORED)
					continue;
				if (v1 != v2)
					fail_msg("%s + %s: %s 0x%016" PRIx64 ", reversed 0x%016" PRIx64,
						 g.gl_pathv[i], g.gl_pathv[j], ksr_reg_name(a), v1, v2);
			}
			assert_true(!ksr_report_ok(r1) || k == rules[i]->nr_regs);
			ksr_report_free(r1);
			ksr_report_free(r2);
		}
	}
	free_all(rules, n, &g);
}

/* Fields that overlap without being alike: refused in both orders, naming both. */
static void test_conflicting_layouts(void **state)
{
	struct ksr_rules *a = model("cortex-a57"), *b = model("cortex-a72");
	const struct ksr_rules *ab[2] = { a, b }, *ba[2] = { b, a };
	struct ksr_reg *reg = (struct ksr_reg *)ksr_rules_find_reg(b, "ID_AA64ISAR0_EL1");
	struct ksr_field *f = NULL;
	struct ksr_report *rep = NULL;
	char err[512];

	(void)state;
	assert_non_null(reg);
	for (unsigned int i = 0; i < reg->nr_fields; i++)
		if (reg->fields[i].shift == 4)
			f = &reg->fields[i];
	assert_non_null(f);
	f->width = 2;	/* bits 5:4 in b, 7:4 in a */
	assert_int_equal(ksr_baseline(ab, 2, &rep, err, sizeof(err)), -EINVAL);
	assert_null(rep);
	print_message("# %s\n", err);
	assert_non_null(strstr(err, "ID_AA64ISAR0_EL1: the profiles lay out its fields differently: "
			       "bits 7:4 (unsigned, AES) in profile 0 (" KSR_FIXTURES "/cortex-a57.json), "
			       "bits 5:4 (unsigned, AES) in profile 1 (" KSR_FIXTURES "/cortex-a72.json)"));
	assert_int_equal(ksr_baseline(ba, 2, &rep, err, sizeof(err)), -EINVAL);
	assert_null(rep);
	assert_non_null(strstr(err, "ID_AA64ISAR0_EL1: the profiles lay out its fields differently: "
			       "bits 5:4 (unsigned, AES) in profile 0 (" KSR_FIXTURES "/cortex-a72.json), "
			       "bits 7:4 (unsigned, AES) in profile 1 (" KSR_FIXTURES "/cortex-a57.json)"));
	ksr_rules_free(a);
	ksr_rules_free(b);
}

static void test_errors(void **state)
{
	struct ksr_rules *a = model("max"), *b = model("max");
	const struct ksr_rules *two[2] = { a, b };
	struct ksr_report *rep = NULL;
	char err[256];
	bool found = false;

	(void)state;
	assert_int_equal(ksr_baseline(two, 0, &rep, err, sizeof(err)), -EINVAL);
	assert_int_equal(ksr_baseline(two, 65, &rep, err, sizeof(err)), -E2BIG);
	/* A register one profile lacks blocks. */
	drop_last_reg(b);
	assert_int_equal(ksr_baseline(two, 2, &rep, err, sizeof(err)), 0);
	assert_false(ksr_report_ok(rep));
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		if (f.kind == KSR_FINDING_BLOCKER) {
			assert_string_equal(f.reg_name, ksr_reg_name(&a->regs[a->nr_regs - 1]));
			assert_int_equal(f.missing, 2);
			assert_string_equal(f.why, "register-missing");
			found = true;
		}
	}
	assert_true(found);
	ksr_report_free(rep);
	rep = NULL;
	/* Profiles of different vCPU features are not one pool. */
	b->vcpu_features = KSR_FEAT_SVE;
	assert_int_equal(ksr_baseline(two, 2, &rep, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "the vCPU features differ: profile 0 (" KSR_FIXTURES "/max.json) has [], "
			    "profile 1 (" KSR_FIXTURES "/max.json) has [sve]: not the same kind of VM");
	assert_null(rep);
	ksr_rules_free(a);
	ksr_rules_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_richest),
		cmocka_unit_test(test_ignored_registers_keep_the_default),
		cmocka_unit_test(test_seven_models),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_order_does_not_matter),
		cmocka_unit_test(test_conflicting_layouts),
	};

	return cmocka_run_group_tests_name("baseline", tests, NULL, NULL);
}
