// SPDX-License-Identifier: GPL-2.0
/*
 * ksr_check() and reports: every fixture's defaults are accepted field by
 * field; each field set to a refused value is named with ksr_predict()'s
 * reason and exactly the field's accepted values; report access errors.
 */
#include <errno.h>

#include "unit.h"

static void test_defaults_accepted(void **state)
{
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t p = 0; p < n; p++) {
		struct ksr_config *cfg;
		struct ksr_report *rep;
		unsigned int regs = 0, fields = 0;

		assert_int_equal(ksr_config_from_defaults(rules[p], &cfg), 0);
		assert_int_equal(ksr_check(rules[p], cfg, &rep, NULL, 0), 0);
		assert_true(ksr_report_ok(rep));
		for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
			struct ksr_finding f = finding(rep, i);

			assert_true(f.ok);
			regs += f.kind == KSR_FINDING_REG;
			fields += f.kind == KSR_FINDING_FIELD;
		}
		assert_int_equal(regs, rules[p]->nr_regs);
		assert_true(fields > 0);
		ksr_report_free(rep);
		ksr_config_free(cfg);
	}
	free_all(rules, n, &g);
}

/* For each field with a refused value: one register, the field named, its allowed values. */
static void test_refused_fields(void **state)
{
	struct ksr_rules *rules[8];
	unsigned int checked = 0;
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t p = 0; p < n; p++) {
		for (unsigned int i = 0; i < rules[p]->nr_regs; i++) {
			const struct ksr_reg *reg = &rules[p]->regs[i];

			for (unsigned int j = 0; j < reg->nr_fields; j++) {
				const struct ksr_field *f = &reg->fields[j];
				struct ksr_config *cfg;
				struct ksr_report *rep;
				struct ksr_verdict v;
				struct ksr_values *vals;
				uint64_t raw, value;
				bool found = false;
				char a[128], b[128];

				for (raw = 0; raw < (1ull << f->width); raw++)
					if (!accepts(reg, with_field(f, reg->limit, raw)))
						break;
				if (raw == 1ull << f->width)
					continue;
				value = with_field(f, reg->limit, raw);
				ksr_predict(reg, value, reg->limit, &v);
				assert_int_equal(ksr_config_new(&cfg), 0);
				assert_int_equal(ksr_config_set(cfg, reg->enc, value), 0);
				assert_int_equal(ksr_check(rules[p], cfg, &rep, NULL, 0), 0);
				assert_false(ksr_report_ok(rep));
				assert_int_equal(ksr_field_values(reg, f, reg->limit, &vals), 0);
				for (unsigned int k = 0; k < ksr_report_nr(rep); k++) {
					struct ksr_finding fd = finding(rep, k);

					if (fd.kind == KSR_FINDING_REG) {
						assert_false(fd.ok);
						assert_int_equal(fd.value, value);
						continue;
					}
					if (fd.shift != f->shift || !fd.is_field)
						continue;
					found = true;
					assert_false(fd.ok);
					assert_int_equal(fd.value, raw);
					assert_int_equal(fd.result, field_raw(f, reg->limit));
					assert_int_equal(fd.reason, v.faults[0].reason);
					assert_string_equal(fd.why, ksr_reason_name(v.faults[0].reason));
					ksr_values_format(fd.allowed, a, sizeof(a));
					ksr_values_format(vals, b, sizeof(b));
					assert_string_equal(a, b);
				}
				assert_true(found);
				ksr_values_free(vals);
				ksr_report_free(rep);
				ksr_config_free(cfg);
				checked++;
			}
		}
	}
	assert_true(checked > 100);
	free_all(rules, n, &g);
}

static void test_errors(void **state)
{
	struct ksr_rules *rules = model("max");
	struct ksr_config *cfg;
	struct ksr_report *rep = NULL;
	struct ksr_finding f;
	char err[128];

	(void)state;
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_set(cfg, (struct ksr_encoding){ 3, 1, 0, 0, 0 }, 0), 0);
	assert_int_equal(ksr_check(rules, cfg, &rep, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "register 3,1,0,0,0 is not in the rules");
	assert_null(rep);
	ksr_config_free(cfg);

	assert_int_equal(ksr_config_from_defaults(rules, &cfg), 0);
	assert_int_equal(ksr_check(rules, cfg, &rep, err, sizeof(err)), 0);
	f.size = sizeof(size_t);
	assert_int_equal(ksr_report_get(rep, 0, &f), -EINVAL);
	f.size = sizeof(f);
	assert_int_equal(ksr_report_get(rep, ksr_report_nr(rep), &f), -ERANGE);
	/* An older, smaller struct gets its part only. */
	memset(&f, 0xaa, sizeof(f));
	f.size = offsetof(struct ksr_finding, enc);
	assert_int_equal(ksr_report_get(rep, 0, &f), 0);
	assert_int_equal(f.kind, KSR_FINDING_REG);
	assert_int_equal(f.enc.op0, 0xaa);
	/* A newer, larger struct gets the members it adds zeroed. */
	{
		struct { struct ksr_finding f; uint64_t added[2]; } newer;

		memset(&newer, 0xaa, sizeof(newer));
		newer.f.size = sizeof(newer);
		assert_int_equal(ksr_report_get(rep, 0, &newer.f), 0);
		assert_int_equal(newer.f.size, sizeof(newer));
		assert_int_equal(newer.f.kind, KSR_FINDING_REG);
		assert_int_equal(newer.added[0] | newer.added[1], 0);
	}
	assert_non_null(ksr_report_config(rep));
	ksr_report_free(rep);
	ksr_report_free(NULL);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_accepted),
		cmocka_unit_test(test_refused_fields),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
