// SPDX-License-Identifier: GPL-2.0
/*
 * ksr_baseline() over the fixtures: every pair either has a baseline both
 * profiles accept (ksr_predict()) or blockers that really block (no value
 * of the bits is accepted by both, enumerated through the predictor); the
 * 7 models have none, for ID_AA64PFR0_EL1 FP/AdvSIMD and CTR_EL0 among
 * others; missing registers and conflicting vCPU features.
 */
#include <errno.h>

#include "unit.h"

/* Does any value of the bits of mask (in place) pass on both? Enumerated up to 16 bits. */
static bool common_value(const struct ksr_reg *a, const struct ksr_reg *b, uint64_t mask)
{
	unsigned int bits[64], n = 0;

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
			struct ksr_encoding enc;
			uint64_t v;

			assert_int_equal(ksr_baseline(two, 2, &rep, NULL, 0), 0);
			if (a == b)
				assert_true(ksr_report_ok(rep));
			if (ksr_report_ok(rep)) {
				const struct ksr_config *cfg = ksr_report_config(rep);

				assert_int_equal(blockers(rep), 0);
				assert_int_equal(ksr_config_nr(cfg), rules[a]->nr_regs);
				for (unsigned int i = 0; !ksr_config_entry(cfg, i, &enc, &v); i++) {
					assert_true(accepts(ksr_rules_find_encoding(rules[a], enc), v));
					assert_true(accepts(ksr_rules_find_encoding(rules[b], enc), v));
				}
				with++;
			} else {
				assert_null(ksr_report_config(rep));
				assert_true(blockers(rep) > 0);
				for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
					struct ksr_finding f = finding(rep, i);

					if (f.kind != KSR_FINDING_BLOCKER)
						continue;
					assert_int_equal(f.nr_profiles, 2);
					assert_false(common_value(ksr_rules_find_encoding(rules[a], f.enc),
								  ksr_rules_find_encoding(rules[b], f.enc), f.mask));
				}
				without++;
			}
			ksr_report_free(rep);
		}
	}
	assert_true(with >= n && without > 0);
	free_all(rules, n, &g);
}

/* A baseline field is the greatest value all accept: nothing above it is accepted by all. */
static void test_greatest(void **state)
{
	struct ksr_rules *a = model("cortex-a57"), *b = model("cortex-a72");
	const struct ksr_rules *two[2] = { a, b };
	struct ksr_report *rep;
	unsigned int limited = 0;

	(void)state;
	assert_int_equal(ksr_baseline(two, 2, &rep, NULL, 0), 0);
	assert_true(ksr_report_ok(rep));
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);
		const struct ksr_reg *ra = ksr_rules_find_encoding(a, f.enc);
		const struct ksr_reg *rb = ksr_rules_find_encoding(b, f.enc);
		const struct ksr_field *fa = ksr_reg_find_field(ra, f.field_name ?: "");
		uint64_t got;

		assert_int_equal(f.kind, KSR_FINDING_CHOICE);
		if (!fa)
			continue;
		assert_int_equal(ksr_config_find(ksr_report_config(rep), f.enc, &got), 0);
		assert_int_equal(field_raw(fa, got), f.value);
		for (uint64_t raw = 0; raw < (1ull << fa->width); raw++) {
			if (ksr_field_get(fa, with_field(fa, 0, raw)) <= ksr_field_get(fa, with_field(fa, 0, f.value)))
				continue;
			assert_false(accepts(ra, with_field(fa, ra->limit, raw)) &&
				     accepts(rb, with_field(fa, rb->limit, raw)));
		}
		limited += f.profile_values[0] != f.profile_values[1];
	}
	assert_true(limited > 0);	/* ID_MMFR0_EL1.AuxReg: 1 on cortex-a57, 2 on cortex-a72 */
	ksr_report_free(rep);
	ksr_rules_free(a);
	ksr_rules_free(b);
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
	assert_string_equal(err, "the vCPU features differ: profile 0 has [], profile 1 has [sve]: "
			    "not the same kind of VM");
	assert_null(rep);
	ksr_rules_free(a);
	ksr_rules_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_greatest),
		cmocka_unit_test(test_seven_models),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("baseline", tests, NULL, NULL);
}
