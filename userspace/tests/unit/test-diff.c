// SPDX-License-Identifier: GPL-2.0
/*
 * ksr_diff(): a fixture with itself is identical; for every pair, the
 * registers whose defaults differ are exactly the ones reported; removed
 * registers, changed rules and features are named.
 */
#include "unit.h"

static bool reported(const struct ksr_report *rep, const char *reg, const char *field, const char *what)
{
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		if (!strcmp(f.what, what) && (!reg || (f.reg_name && !strcmp(f.reg_name, reg))) &&
		    (field ? f.field_name && !strcmp(f.field_name, field) : !f.is_field))
			return true;
	}
	return false;
}

static void test_every_pair(void **state)
{
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			struct ksr_report *rep;

			assert_int_equal(ksr_diff(rules[a], rules[b], &rep, NULL, 0), 0);
			if (a == b) {
				assert_true(ksr_report_ok(rep));
				assert_int_equal(ksr_report_nr(rep), 0);
			}
			for (unsigned int i = 0; i < rules[a]->nr_regs; i++) {
				const struct ksr_reg *ra = &rules[a]->regs[i];
				const struct ksr_reg *rb = ksr_rules_find_id(rules[b], ksr_reg_id(ra));

				assert_non_null(rb);
				assert_int_equal(reported(rep, ksr_reg_name(ra), NULL, "default"),
						 ra->limit != rb->limit);
			}
			ksr_report_free(rep);
		}
	}
	free_all(rules, n, &g);
}

static void test_changes(void **state)
{
	struct ksr_rules *a = model("max"), *b = model("max");
	struct ksr_reg *reg = (struct ksr_reg *)ksr_rules_find_reg(b, "ID_AA64MMFR0_EL1");
	struct ksr_field *f = (struct ksr_field *)ksr_reg_find_field(reg, "PARANGE");
	const char *last = ksr_reg_name(&a->regs[a->nr_regs - 1]);
	struct ksr_report *rep;

	(void)state;
	drop_last_reg(b);
	f->type = KSR_RULE_EXACT;
	f->flags &= ~KSR_FIELD_WRITABLE;
	b->vcpu_features = KSR_FEAT_SVE;
	assert_int_equal(ksr_diff(a, b, &rep, NULL, 0), 0);
	assert_false(ksr_report_ok(rep));
	assert_int_equal(ksr_report_nr(rep), 4);
	assert_true(reported(rep, "ID_AA64MMFR0_EL1", "PARANGE", "rule"));
	assert_true(reported(rep, "ID_AA64MMFR0_EL1", "PARANGE", "writable"));
	assert_true(reported(rep, last, NULL, "register"));
	assert_true(reported(rep, NULL, NULL, "vcpu_features"));
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding fd = finding(rep, i);

		if (!strcmp(fd.what, "register")) {
			assert_string_equal(fd.old_text, last);
			assert_null(fd.new_text);
		}
		if (!strcmp(fd.what, "rule")) {
			assert_string_equal(fd.old_text, "LOWER_SAFE");
			assert_string_equal(fd.new_text, "EXACT");
		}
	}
	ksr_report_free(rep);
	ksr_rules_free(a);
	ksr_rules_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_changes),
	};

	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
