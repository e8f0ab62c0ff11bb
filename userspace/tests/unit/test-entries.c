// SPDX-License-Identifier: GPL-2.0
/*
 * ksr_rules_from_entries(): what live.c makes of KVM_ARM_GET_REG_SAFE_RULES
 * entries of layout version 2, fed entries built here (the kernel's are
 * checked in the guest): ID registers then firmware registers, a bitmap,
 * value lists, and everything this library does not know made a rule to
 * probe, never ignored.
 */
#include <errno.h>

#include "entries.h"
#include "unit.h"

#define PFR0 0x603000000013c020ull	/* 3,0,0,4,0 */
#define PSCI 0x6030000000140000ull
#define WA2 0x6030000000140002ull
#define STD 0x6030000000160000ull

static struct kvm_arm_id_reg_rule reg(uint64_t id, uint32_t kind, uint32_t flags, uint32_t nr,
				      uint64_t mask, uint64_t limit)
{
	return (struct kvm_arm_id_reg_rule){ .reg = id, .kind = kind, .flags = flags, .nr_fields = nr,
					     .mask = mask, .limit = limit };
}

static struct kvm_arm_id_reg_rule value(uint64_t id, uint64_t v, uint64_t back)
{
	return (struct kvm_arm_id_reg_rule){ .reg = id, .kind = KVM_ARM_ID_RULE_KIND_FW_VALUE,
					     .alias_from = v, .alias_to = back };
}

/* One ID register with one field, then PSCI_VERSION (3 values), WA2 (follows, 2 values), STD_BMAP. */
static unsigned int version2(struct kvm_arm_id_reg_rule *e)
{
	unsigned int n = 0;

	e[n++] = reg(PFR0, KVM_ARM_ID_RULE_KIND_REG, 0, 1, 0xf, 0x2);
	e[n++] = (struct kvm_arm_id_reg_rule){ .reg = PFR0, .kind = KVM_ARM_ID_RULE_KIND_FIELD,
					       .flags = KVM_ARM_ID_RULE_WRITABLE, .shift = 0, .width = 4,
					       .type = KVM_ARM_ID_RULE_LOWER_SAFE, .mask = 0xf };
	e[n++] = reg(PSCI, KVM_ARM_ID_RULE_KIND_FW_REG, 0, 3, 0, 0x10001);
	e[n++] = value(PSCI, 0x2, 0x2);
	e[n++] = value(PSCI, 0x10000, 0x10000);
	e[n++] = value(PSCI, 0x10001, 0x10001);
	e[n++] = reg(WA2, KVM_ARM_ID_RULE_KIND_FW_REG, KVM_ARM_ID_RULE_FW_FOLLOWS_ID_REGS, 2, 0, 0x1);
	e[n++] = value(WA2, 0x0, 0x1);
	e[n++] = value(WA2, 0x1, 0x1);
	e[n++] = reg(STD, KVM_ARM_ID_RULE_KIND_FW_REG, KVM_ARM_ID_RULE_FW_BITMAP | KVM_ARM_ID_RULE_IMMUTABLE,
		     0, 0x1, 0x1);
	return n;
}

static struct ksr_rules *rules_of(const struct kvm_arm_id_reg_rule *e, unsigned int n)
{
	struct ksr_rules *rules = NULL;
	const char *why = NULL;
	int ret = ksr_rules_from_entries(e, n, &rules, &why);

	if (ret)
		fail_msg("%d: %s", ret, why);
	return rules;
}

static void test_version2(void **state)
{
	struct kvm_arm_id_reg_rule e[16];
	struct ksr_rules *rules = rules_of(e, version2(e));
	const struct ksr_reg *r;
	uint64_t v, back;

	(void)state;
	assert_int_equal(ksr_rules_nr_regs(rules), 4);
	r = ksr_rules_reg(rules, 0);
	assert_int_equal(ksr_reg_kind(r), KSR_REG_KIND_ID);
	assert_int_equal(ksr_reg_id(r), PFR0);
	assert_int_equal(ksr_reg_nr_fields(r), 1);
	assert_int_equal(ksr_field_rule(ksr_reg_field(r, 0)), KSR_RULE_LOWER_SAFE);

	r = ksr_rules_reg(rules, 1);
	assert_int_equal(ksr_reg_kind(r), KSR_REG_KIND_FIRMWARE);
	assert_string_equal(ksr_reg_name(r), "KVM_REG_ARM_PSCI_VERSION");
	assert_int_equal(ksr_reg_default(r), 0x10001);
	assert_int_equal(ksr_reg_flags(r), 0);
	assert_int_equal(ksr_reg_nr_values(r), 3);
	assert_int_equal(ksr_reg_value(r, 1, &v, &back), 0);
	assert_int_equal(v, 0x10000);
	assert_int_equal(back, 0x10000);

	r = ksr_rules_reg(rules, 2);
	assert_int_equal(ksr_reg_flags(r), KSR_REG_FOLLOWS_ID_REGS);
	assert_int_equal(ksr_reg_value(r, 0, &v, &back), 0);
	assert_int_equal(back, 0x1);

	r = ksr_rules_reg(rules, 3);
	assert_int_equal(ksr_reg_flags(r), KSR_REG_BITMAP | KSR_REG_IMMUTABLE);
	assert_int_equal(ksr_reg_writable_mask(r), 0x1);
	assert_int_equal(ksr_reg_nr_fields(r), 1);
	assert_string_equal(ksr_field_name(ksr_reg_field(r, 0)), "TRNG_V1_0");
	assert_int_equal(ksr_reg_nr_values(r), 0);
	ksr_rules_free(rules);
}

/* Layout version 1: no firmware entries, the rules as before. */
static void test_version1(void **state)
{
	struct kvm_arm_id_reg_rule e[16];
	struct ksr_rules *rules;

	(void)state;
	version2(e);
	rules = rules_of(e, 2);
	assert_int_equal(ksr_rules_nr_regs(rules), 1);
	ksr_rules_free(rules);
}

/* What this library does not know is a rule to probe: only the default accepted. */
static void test_unknown_is_probe(void **state)
{
	struct kvm_arm_id_reg_rule e[24];
	unsigned int n = version2(e);
	struct ksr_rules *rules;
	const struct ksr_reg *r;

	(void)state;
	e[9].flags |= 1u << 20;			/* STD_BMAP: a register flag it does not know */
	e[8].flags = 1u << 3;			/* WA2's second value: a flag */
	e[n++] = reg(0x6030000000160001ull, 9, 0, 1, 0, 0x5);	/* a kind from the future */
	e[n++] = reg(0x6030000000160001ull, 1234, 0, 0, 0, 0);	/* ... its entry, whatever it is */
	e[n++] = reg(PSCI, 9, 0, 0, 0, 0);	/* about a register listed */
	rules = rules_of(e, n);
	assert_int_equal(ksr_rules_nr_regs(rules), 5);
	r = ksr_rules_find_id(rules, PSCI);
	assert_true(ksr_reg_flags(r) & KSR_REG_PROBE);
	assert_true(accepts(r, 0x10001));
	assert_false(accepts(r, 0x10000));
	r = ksr_rules_find_id(rules, WA2);
	assert_true(ksr_reg_flags(r) & KSR_REG_PROBE);
	assert_false(accepts(r, 0x0));
	r = ksr_rules_find_id(rules, STD);
	assert_true(ksr_reg_flags(r) & KSR_REG_PROBE);
	assert_true(accepts(r, 0x1));
	assert_false(accepts(r, 0x0));
	r = ksr_rules_find_id(rules, 0x6030000000160001ull);
	assert_non_null(r);
	assert_int_equal(ksr_reg_flags(r), KSR_REG_PROBE);
	assert_true(accepts(r, 0x5));
	assert_false(accepts(r, 0x4));
	ksr_rules_free(rules);

	/* a bitmap with value entries: not what a bitmap is */
	n = version2(e);
	e[n - 1].nr_fields = 1;
	e[n++] = value(STD, 0x1, 0x1);
	rules = rules_of(e, n);
	assert_true(ksr_reg_flags(ksr_rules_find_id(rules, STD)) & KSR_REG_PROBE);
	ksr_rules_free(rules);
}

static void test_malformed(void **state)
{
	struct kvm_arm_id_reg_rule e[16];
	struct ksr_rules *rules = NULL;
	const char *why = NULL;
	unsigned int n;

	(void)state;
	/* values not ascending */
	n = version2(e);
	e[4].alias_from = 0x1;
	assert_int_equal(ksr_rules_from_entries(e, n, &rules, &why), -EPROTO);
	assert_string_equal(why, "the values of a firmware register are not ascending");
	/* a value twice */
	n = version2(e);
	e[4].alias_from = 0x2;
	assert_int_equal(ksr_rules_from_entries(e, n, &rules, &why), -EPROTO);
	/* a value of another register, a field after a firmware register, too few entries */
	n = version2(e);
	e[4].reg = WA2;
	assert_int_equal(ksr_rules_from_entries(e, n, &rules, &why), -EPROTO);
	assert_string_equal(why, "entries are not registers each followed by their fields or values");
	n = version2(e);
	e[4].kind = KVM_ARM_ID_RULE_KIND_FIELD;
	assert_int_equal(ksr_rules_from_entries(e, n, &rules, &why), -EPROTO);
	n = version2(e);
	assert_int_equal(ksr_rules_from_entries(e, n - 2, &rules, &why), -EPROTO);
	/* a value entry where a register's should be */
	n = version2(e);
	assert_int_equal(ksr_rules_from_entries(e + 3, n - 3, &rules, &why), -EPROTO);
	assert_null(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version2),
		cmocka_unit_test(test_version1),
		cmocka_unit_test(test_unknown_is_probe),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests_name("entries", tests, NULL, NULL);
}
