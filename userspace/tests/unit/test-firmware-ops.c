// SPDX-License-Identifier: GPL-2.0
/*
 * The operations on firmware registers: check, clamp, baseline,
 * migrate-check and diff, on the profiles of fixtures/firmware (a and b
 * differ only in SMCCC_ARCH_WORKAROUND_1, c offers fewer vendor hypercall
 * bits). Every expectation is ksr_predict()'s, asked value by value.
 */
#include <errno.h>

#include "unit.h"

#define WA1 0x6030000000140001ull
#define VENDOR 0x6030000000160002ull
#define PSCI 0x6030000000140000ull

static struct ksr_rules *fw(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/firmware/%s.json", KSR_FIXTURES, name);
	return load(path);
}

/* The values of 0..max, the register's listed values and default reg accepts, as allowed holds them. */
static void expect_allowed(const struct ksr_reg *reg, const struct ksr_values *allowed)
{
	assert_non_null(allowed);
	for (uint64_t c = 0; c < 0x20; c++)
		assert_int_equal(ksr_values_contains(allowed, (int64_t)c), accepts(reg, c));
	for (unsigned int i = 0; i < reg->nr_values; i++)
		assert_int_equal(ksr_values_contains(allowed, (int64_t)reg->values[i].value),
				 accepts(reg, reg->values[i].value));
}

/* The findings of kind about the register id. */
static unsigned int findings_of(const struct ksr_report *rep, enum ksr_finding_kind kind, uint64_t id,
				struct ksr_finding *last)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		if (f.kind == kind && f.reg_id == id) {
			*last = f;
			n++;
		}
	}
	return n;
}

static void test_check(void **state)
{
	struct ksr_rules *a = fw("a");
	const struct ksr_reg *wa1 = ksr_rules_find_id(a, WA1), *vendor = ksr_rules_find_id(a, VENDOR);
	struct ksr_config *cfg;
	struct ksr_report *rep;
	struct ksr_finding f;

	(void)state;
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_set_id(cfg, PSCI, 0x10000), 0);
	assert_int_equal(ksr_config_set_id(cfg, WA1, 0x3), 0);
	assert_int_equal(ksr_config_set_id(cfg, VENDOR, 0x6), 0);
	assert_int_equal(ksr_check(a, cfg, &rep, NULL, 0), 0);
	assert_false(ksr_report_ok(rep));

	assert_int_equal(findings_of(rep, KSR_FINDING_REG, PSCI, &f), 1);
	assert_true(f.ok);
	assert_string_equal(f.reg_name, "KVM_REG_ARM_PSCI_VERSION");
	/* a value list refusing: the register, why, and what it accepts */
	assert_int_equal(findings_of(rep, KSR_FINDING_REG, WA1, &f), 1);
	assert_false(f.ok);
	assert_int_equal(f.reason, KSR_NOT_LISTED);
	assert_string_equal(f.why, "not-an-accepted-value");
	assert_int_equal(findings_of(rep, KSR_FINDING_FIELD, WA1, &f), 1);
	assert_false(f.ok);
	assert_false(f.is_field);
	assert_int_equal(f.mask, 0);
	assert_int_equal(f.value, 0x3);
	expect_allowed(wa1, f.allowed);
	/* a bitmap: the bit it does not offer */
	assert_int_equal(findings_of(rep, KSR_FINDING_REG, VENDOR, &f), 1);
	assert_int_equal(f.reason, KSR_NOT_OFFERED);
	assert_int_equal(f.result, vendor->limit);
	assert_int_equal(findings_of(rep, KSR_FINDING_FIELD, VENDOR, &f), 3);
	assert_false(f.ok);
	assert_int_equal(f.mask, 0x6 & ~vendor->writable_mask);
	assert_int_equal(f.reason, KSR_NOT_OFFERED);
	ksr_report_free(rep);
	ksr_config_free(cfg);
	ksr_rules_free(a);
}

/* The greatest accepted value at or below want of a value list, else its default. */
static uint64_t clamped(const struct ksr_reg *reg, uint64_t want)
{
	uint64_t best = reg->limit;
	bool found = false;

	for (unsigned int i = 0; i < reg->nr_values; i++) {
		uint64_t c = reg->values[i].value;

		if (accepts(reg, c) && c <= want && (!found || c > best)) {
			best = c;
			found = true;
		}
	}
	if (accepts(reg, reg->limit) && reg->limit <= want && (!found || reg->limit > best))
		best = reg->limit;
	return best;
}

static void test_clamp(void **state)
{
	struct ksr_rules *a = fw("a");
	const uint64_t ids[] = { PSCI, WA1, 0x6030000000140002ull, VENDOR };

	(void)state;
	for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		const struct ksr_reg *reg = ksr_rules_find_id(a, ids[k]);

		for (uint64_t want = 0; want < 0x10010; want += want < 0x20 ? 1 : 0xfff) {
			struct ksr_config *cfg;
			struct ksr_report *rep;
			struct ksr_finding f;
			uint64_t got, expect;

			expect = ksr_reg_is_value_list(reg) ? clamped(reg, want) : want & reg->writable_mask;
			assert_int_equal(ksr_config_new(&cfg), 0);
			assert_int_equal(ksr_config_set_id(cfg, ids[k], want), 0);
			assert_int_equal(ksr_clamp(a, cfg, &rep, NULL, 0), 0);
			assert_int_equal(ksr_config_find_id(ksr_report_config(rep), ids[k], &got), 0);
			assert_int_equal(got, expect);
			assert_true(accepts(reg, got));
			assert_int_equal(findings_of(rep, KSR_FINDING_CHANGE, ids[k], &f), got != want);
			if (got != want) {
				assert_string_equal(f.reg_name, ksr_reg_name(reg));
				assert_int_equal(f.reason, ksr_reg_is_value_list(reg) ? KSR_NOT_LISTED :
							   KSR_NOT_OFFERED);
			}
			ksr_report_free(rep);
			ksr_config_free(cfg);
		}
	}
	ksr_rules_free(a);
}

/* Does every profile accept v on the register id? */
static bool all_accept(struct ksr_rules **rules, unsigned int nr, uint64_t id, uint64_t v)
{
	for (unsigned int p = 0; p < nr; p++)
		if (!accepts(ksr_rules_find_id(rules[p], id), v))
			return false;
	return true;
}

static void test_baseline(void **state)
{
	struct ksr_rules *r[3] = { fw("a"), fw("b"), fw("c") };
	struct ksr_report *rep;
	struct ksr_finding f;
	uint64_t v, and = ~0ull;

	(void)state;
	assert_int_equal(ksr_baseline((const struct ksr_rules *const *)r, 3, &rep, NULL, 0), 0);
	assert_true(ksr_report_ok(rep));
	/* a bitmap: what every host offers */
	for (unsigned int p = 0; p < 3; p++)
		and &= ksr_rules_find_id(r[p], VENDOR)->writable_mask;
	assert_int_equal(ksr_config_find_id(ksr_report_config(rep), VENDOR, &v), 0);
	assert_int_equal(v, and);
	/* a value list: the first host's default when all accept it (PSCI), else the greatest all do */
	assert_int_equal(ksr_config_find_id(ksr_report_config(rep), PSCI, &v), 0);
	assert_true(all_accept(r, 3, PSCI, ksr_rules_find_id(r[0], PSCI)->limit));
	assert_int_equal(v, ksr_rules_find_id(r[0], PSCI)->limit);
	assert_int_equal(ksr_config_find_id(ksr_report_config(rep), WA1, &v), 0);
	assert_false(all_accept(r, 3, WA1, ksr_rules_find_id(r[0], WA1)->limit));
	assert_true(all_accept(r, 3, WA1, v));
	for (uint64_t c = v + 1; c < 0x20; c++)
		assert_false(all_accept(r, 3, WA1, c));
	assert_int_equal(findings_of(rep, KSR_FINDING_CHOICE, WA1, &f), 1);
	assert_int_equal(f.value, v);
	assert_int_equal(f.nr_profiles, 3);
	ksr_report_free(rep);

	/* no value both accept: a blocker with each one's accepted values */
	r[1]->regs[2].nr_values = 1;
	r[1]->regs[2].values[0] = (struct ksr_fw_value){ 0x5, 0x5 };
	r[1]->regs[2].limit = 0x5;
	assert_int_equal(ksr_reg_id(&r[1]->regs[2]), WA1);
	assert_int_equal(ksr_baseline((const struct ksr_rules *const *)r, 2, &rep, NULL, 0), 0);
	assert_false(ksr_report_ok(rep));
	assert_null(ksr_report_config(rep));
	assert_int_equal(findings_of(rep, KSR_FINDING_BLOCKER, WA1, &f), 1);
	assert_string_equal(f.reg_name, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1");
	assert_int_equal(f.reason, KSR_NOT_LISTED);
	assert_int_equal(f.nr_profiles, 2);
	for (unsigned int p = 0; p < 2; p++) {
		assert_int_equal(f.profile_values[p], r[p]->regs[2].limit);
		expect_allowed(&r[p]->regs[2], f.profile_allowed[p]);
	}
	ksr_report_free(rep);
	for (unsigned int p = 0; p < 3; p++)
		ksr_rules_free(r[p]);
}

/*
 * The acceptance check of issue 13: two profiles that differ only in a
 * firmware register; migrate-check names it and why.
 */
static void test_migrate(void **state)
{
	struct ksr_rules *a = fw("a"), *b = fw("b"), *c = fw("c");
	const struct ksr_reg *to = ksr_rules_find_id(b, WA1);
	struct ksr_config *cfg;
	struct ksr_report *rep;
	struct ksr_finding f;
	unsigned int blockers = 0;
	uint64_t v, back;

	(void)state;
	assert_int_equal(ksr_migrate_check(a, b, NULL, &rep, NULL, 0), 0);
	assert_false(ksr_report_ok(rep));
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++)
		blockers += finding(rep, i).kind == KSR_FINDING_BLOCKER;
	assert_int_equal(blockers, 1);
	assert_int_equal(findings_of(rep, KSR_FINDING_BLOCKER, WA1, &f), 1);
	assert_string_equal(f.reg_name, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1");
	assert_int_equal(f.reason, KSR_NOT_LISTED);
	assert_int_equal(f.value, ksr_rules_find_id(a, WA1)->limit);
	assert_int_equal(f.result, to->limit);
	expect_allowed(to, f.allowed);
	ksr_report_free(rep);

	/* the other way: b's default is one a accepts */
	assert_int_equal(ksr_migrate_check(b, a, NULL, &rep, NULL, 0), 0);
	assert_true(accepts(ksr_rules_find_id(a, WA1), to->limit));
	assert_true(ksr_report_ok(rep));
	ksr_report_free(rep);

	/*
	 * A guest configured with a value both accept does not move: a stores
	 * what the value reads back, its own level (the guest was told that),
	 * and that is what the destination is given, as a VMM migrating reads
	 * it with KVM_GET_ONE_REG
	 */
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_set_id(cfg, WA1, 0x1), 0);
	assert_true(accepts(to, 0x1));
	assert_int_equal(ksr_reg_value(ksr_rules_find_id(a, WA1), 1, &v, &back), 0);
	assert_int_equal(v, 0x1);
	assert_false(accepts(to, back));
	assert_int_equal(ksr_migrate_check(a, b, cfg, &rep, NULL, 0), 0);
	assert_false(ksr_report_ok(rep));
	assert_int_equal(findings_of(rep, KSR_FINDING_BLOCKER, WA1, &f), 1);
	assert_int_equal(f.value, back);
	assert_int_equal(ksr_config_find_id(ksr_report_config(rep), WA1, &v), 0);
	assert_int_equal(v, back);
	ksr_report_free(rep);
	/* ... which moves back: b stores 1 for 1, a accepts it */
	assert_int_equal(ksr_migrate_check(b, a, cfg, &rep, NULL, 0), 0);
	assert_true(ksr_report_ok(rep));
	ksr_report_free(rep);
	/* ... one the source refuses is an error */
	assert_int_equal(ksr_config_set_id(cfg, WA1, 0x7), 0);
	assert_int_equal(ksr_migrate_check(a, b, cfg, &rep, NULL, 0), -EINVAL);
	ksr_config_free(cfg);

	/* a bitmap bit the destination does not offer */
	assert_int_equal(ksr_migrate_check(a, c, NULL, &rep, NULL, 0), 0);
	assert_false(ksr_report_ok(rep));
	assert_int_equal(findings_of(rep, KSR_FINDING_BLOCKER, VENDOR, &f), 1);
	assert_int_equal(f.reason, KSR_NOT_OFFERED);
	assert_int_equal(f.mask, ksr_rules_find_id(a, VENDOR)->limit & ~ksr_rules_find_id(c, VENDOR)->writable_mask);
	ksr_report_free(rep);
	ksr_rules_free(a);
	ksr_rules_free(b);
	ksr_rules_free(c);
}

/* The differences named by what differs. */
static void test_diff(void **state)
{
	struct ksr_rules *a = fw("a"), *b = fw("b"), *c = fw("c");
	struct ksr_report *rep;
	bool values = false, def = false, field = false, mask = false;

	(void)state;
	assert_int_equal(ksr_diff(a, a, &rep, NULL, 0), 0);
	assert_true(ksr_report_ok(rep));
	ksr_report_free(rep);
	assert_int_equal(ksr_diff(a, b, &rep, NULL, 0), 0);
	assert_false(ksr_report_ok(rep));
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		assert_int_equal(f.reg_id, WA1);
		values |= !strcmp(f.what, "values");
		def |= !strcmp(f.what, "default");
	}
	assert_true(values && def);
	ksr_report_free(rep);
	assert_int_equal(ksr_diff(a, c, &rep, NULL, 0), 0);
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		assert_int_equal(f.reg_id, VENDOR);
		mask |= !strcmp(f.what, "writable_mask");
		if (!strcmp(f.what, "field")) {
			field = true;
			assert_string_equal(f.field_name, "PTP");
			assert_null(f.new_text);
		}
	}
	assert_true(mask && field);
	ksr_report_free(rep);
	ksr_rules_free(a);
	ksr_rules_free(b);
	ksr_rules_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests_name("firmware-ops", tests, NULL, NULL);
}
