// SPDX-License-Identifier: GPL-2.0
/*
 * ksr_migrate_check(): a fixture to itself passes; for every pair the
 * answer is ksr_predict()'s on each register of the source's defaults,
 * and every refused field is a blocker with both values; a configuration
 * the source refuses, missing registers, vCPU features.
 */
#include <errno.h>

#include "unit.h"

static void test_every_pair(void **state)
{
	struct ksr_rules *rules[8];
	unsigned int blocked = 0, values = 0;
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			struct ksr_report *rep;
			bool all = true;

			assert_int_equal(ksr_migrate_check(rules[a], rules[b], NULL, &rep, NULL, 0), 0);
			for (unsigned int i = 0; i < rules[a]->nr_regs; i++)
				all &= accepts(ksr_rules_find_id(rules[b], ksr_reg_id(&rules[a]->regs[i])),
					       rules[a]->regs[i].limit);
			assert_int_equal(ksr_report_ok(rep), all);
			if (a == b)
				assert_true(all);
			for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
				struct ksr_finding f = finding(rep, i);
				const struct ksr_reg *from = ksr_rules_find_id(rules[a], f.reg_id);
				const struct ksr_reg *to = ksr_rules_find_id(rules[b], f.reg_id);

				if (f.kind != KSR_FINDING_BLOCKER)
					continue;
				assert_non_null(from);
				assert_non_null(to);
				blocked++;
				if (ksr_reg_is_value_list(to)) {
					/* A firmware value list: the whole register. */
					assert_int_equal(f.value, from->limit);
					assert_int_equal(f.result, to->limit);
					assert_false(accepts(to, from->limit));
					assert_non_null(f.allowed);
					values++;
					continue;
				}
				if (!f.is_field)
					continue;
				assert_int_equal(f.value, (from->limit & f.mask) >> f.shift);
				assert_int_equal(f.result, (to->limit & f.mask) >> f.shift);
				assert_false(accepts(to, (to->limit & ~f.mask) | (from->limit & f.mask)));
				assert_non_null(f.allowed);
			}
			ksr_report_free(rep);
		}
	}
	assert_true(blocked > 0);
	assert_true(values > 0);	/* max's KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 on cortex-a57 */
	free_all(rules, n, &g);
}

/* cortex-a57 -> cortex-a53: CTR_EL0.L1Ip blocks, both ways. */
static void test_a57_a53(void **state)
{
	struct ksr_rules *a57 = model("cortex-a57"), *a53 = model("cortex-a53");
	const struct ksr_reg *ctr = ksr_rules_find_reg(a57, "CTR_EL0");
	const struct ksr_field *l1ip = ksr_reg_find_field(ctr, "L1Ip");
	struct ksr_report *rep;
	bool found = false;

	(void)state;
	for (int dir = 0; dir < 2; dir++) {
		struct ksr_rules *from = dir ? a53 : a57, *to = dir ? a57 : a53;

		found = false;
		assert_int_equal(ksr_migrate_check(from, to, NULL, &rep, NULL, 0), 0);
		assert_false(ksr_report_ok(rep));
		for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
			struct ksr_finding f = finding(rep, i);

			if (f.kind == KSR_FINDING_BLOCKER && !strcmp(f.reg_name, "CTR_EL0") &&
			    !strcmp(f.field_name, "L1Ip")) {
				assert_int_equal(f.value, field_raw(l1ip, ksr_rules_find_reg(from, "CTR_EL0")->limit));
				assert_int_equal(f.result, field_raw(l1ip, ksr_rules_find_reg(to, "CTR_EL0")->limit));
				found = true;
			}
		}
		assert_true(found);
		ksr_report_free(rep);
	}
	ksr_rules_free(a57);
	ksr_rules_free(a53);
}

static void test_config_and_errors(void **state)
{
	struct ksr_rules *a = model("cortex-a72"), *b = model("cortex-a72");
	const struct ksr_reg *reg = ksr_rules_find_reg(a, "ID_AA64MMFR0_EL1");
	const struct ksr_field *f = ksr_reg_find_field(reg, "PARANGE");
	struct ksr_config *cfg;
	struct ksr_report *rep = NULL;
	char err[256];

	(void)state;
	/* A lowered field migrates. */
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_set(cfg, reg->enc, with_field(f, reg->limit, 0)), 0);
	assert_int_equal(ksr_migrate_check(a, b, cfg, &rep, err, sizeof(err)), 0);
	assert_true(ksr_report_ok(rep));
	ksr_report_free(rep);
	/* One the source refuses is bad input. */
	assert_int_equal(ksr_config_set(cfg, reg->enc, with_field(f, reg->limit, 15)), 0);
	assert_int_equal(ksr_migrate_check(a, b, cfg, &rep, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not accepted on the source: ID_AA64MMFR0_EL1"));
	assert_non_null(strstr(err, "PARANGE: above-default"));
	ksr_config_free(cfg);
	/* A register the destination lacks blocks. */
	drop_last_reg(b);
	assert_int_equal(ksr_migrate_check(a, b, NULL, &rep, err, sizeof(err)), 0);
	assert_false(ksr_report_ok(rep));
	struct ksr_finding last = finding(rep, ksr_report_nr(rep) - 1);

	assert_int_equal(last.kind, KSR_FINDING_BLOCKER);
	assert_int_equal(last.missing, 1);
	assert_string_equal(last.reg_name, ksr_reg_name(&a->regs[a->nr_regs - 1]));
	ksr_report_free(rep);
	/* ... and one the source lacks is bad input (the last: a firmware register). */
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_set_id(cfg, ksr_reg_id(&a->regs[a->nr_regs - 1]), 0), 0);
	assert_int_equal(ksr_migrate_check(b, a, cfg, &rep, err, sizeof(err)), -ENOENT);
	ksr_config_free(cfg);
	b->vcpu_features = KSR_FEAT_PMU;
	assert_int_equal(ksr_migrate_check(a, b, NULL, &rep, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "the vCPU features differ"));
	ksr_rules_free(a);
	ksr_rules_free(b);
}

/*
 * migrate-check --both-ways: the way back is to be checked when the
 * configuration runs on the destination (ksr_check() there), whether or not
 * the way there was blocked. cortex-a72 -> cortex-a57 is blocked by a
 * register the configuration does not set (ID_MMFR0_EL1.AuxReg, a
 * default); the configuration runs on cortex-a57 and the way back is fine.
 */
static void test_way_back_after_a_blocked_way_there(void **state)
{
	struct ksr_rules *a72 = model("cortex-a72"), *a57 = model("cortex-a57");
	const char *text = "ID_AA64ISAR0_EL1 0x11120\n";
	struct ksr_config *cfg = NULL;
	struct ksr_report *rep = NULL;
	bool aux = false;
	char err[512];

	(void)state;
	assert_int_equal(ksr_config_parse(text, strlen(text), "m.cfg", a72, &cfg, err, sizeof(err)), 0);
	assert_int_equal(ksr_migrate_check(a72, a57, cfg, &rep, err, sizeof(err)), 0);
	assert_false(ksr_report_ok(rep));
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		if (f.kind == KSR_FINDING_BLOCKER)
			aux |= !strcmp(f.reg_name, "ID_MMFR0_EL1") && f.field_name &&
			       !strcmp(f.field_name, "AuxReg");
	}
	assert_true(aux);
	ksr_report_free(rep);
	/* The configuration runs on the destination ... */
	assert_int_equal(ksr_check(a57, cfg, &rep, err, sizeof(err)), 0);
	assert_true(ksr_report_ok(rep));
	ksr_report_free(rep);
	/* ... so the way back is checked, and is fine. */
	assert_int_equal(ksr_migrate_check(a57, a72, cfg, &rep, err, sizeof(err)), 0);
	assert_true(ksr_report_ok(rep));
	ksr_report_free(rep);
	ksr_config_free(cfg);
	ksr_rules_free(a72);
	ksr_rules_free(a57);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_a57_a53),
		cmocka_unit_test(test_config_and_errors),
		cmocka_unit_test(test_way_back_after_a_blocked_way_there),
	};

	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
