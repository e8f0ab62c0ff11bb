// SPDX-License-Identifier: GPL-2.0
/*
 * Accepted values: for every field of every fixture, exactly the values
 * ksr_predict() accepts in the default, in the field's order, and its text
 * (ksr_values_format()) read back to the same runs; formatting;
 * fields too wide to enumerate.
 */
#include <errno.h>
#include <inttypes.h>

#include "unit.h"

/*
 * ksr_values_format()'s text read back: runs "lo..hi" and single values,
 * separated by commas, each number with its sign; the same runs as
 * ksr_values_range() gives, signed field or not.
 */
static void check_format(const struct ksr_values *vals)
{
	char buf[1024], *save = NULL, *tok;
	unsigned int r = 0;
	int64_t lo, hi;

	assert_true(ksr_values_format(vals, buf, sizeof(buf)) < (int)sizeof(buf));
	if (!ksr_values_nr_ranges(vals)) {
		assert_string_equal(buf, "none");
		return;
	}
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save), r++) {
		char *end, *dots = strstr(tok, "..");
		int64_t a = strtoll(tok, &end, 10), b = a;

		if (dots) {
			assert_ptr_equal(end, dots);
			b = strtoll(dots + 2, &end, 10);
		}
		assert_true(end != tok && !*end);
		assert_int_equal(ksr_values_range(vals, r, &lo, &hi), 0);
		assert_int_equal(a, lo);
		assert_int_equal(b, hi);
		assert_true(!dots == (lo == hi));
	}
	assert_int_equal(r, ksr_values_nr_ranges(vals));
}

static void test_every_field(void **state)
{
	struct ksr_rules *rules[8];
	unsigned int fields = 0;
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t p = 0; p < n; p++) {
		for (unsigned int i = 0; i < rules[p]->nr_regs; i++) {
			const struct ksr_reg *reg = &rules[p]->regs[i];

			for (unsigned int j = 0; j < reg->nr_fields; j++) {
				const struct ksr_field *f = &reg->fields[j];
				bool sgn = f->flags & KSR_FIELD_SIGNED;
				struct ksr_values *vals;
				uint64_t count = 0;
				int64_t lo, hi, prev = INT64_MIN;

				assert_int_equal(ksr_field_values(reg, f, reg->limit, &vals), 0);
				for (uint64_t raw = 0; raw < (1ull << f->width); raw++) {
					bool ok = accepts(reg, with_field(f, reg->limit, raw));
					int64_t o = ksr_field_get(f, with_field(f, 0, raw));

					assert_int_equal(ksr_values_contains(vals, o), ok);
					count += ok;
				}
				assert_int_equal(ksr_values_count(vals), count);
				/* The default is always accepted. */
				assert_true(ksr_values_contains(vals, ksr_field_get(f, reg->limit)));
				/* Runs ascending in the field's order, not touching. */
				for (unsigned int r = 0; !ksr_values_range(vals, r, &lo, &hi); r++) {
					assert_true(lo <= hi);
					assert_true(prev == INT64_MIN || lo > prev + 1);
					assert_true(sgn || lo >= 0);
					prev = hi;
				}
				assert_int_equal(ksr_values_range(vals, ksr_values_nr_ranges(vals), &lo, &hi),
						 -ERANGE);
				check_format(vals);
				ksr_values_free(vals);
				fields++;
			}
		}
	}
	assert_true(fields > 500);
	free_all(rules, n, &g);
}

/* A signed field (TGRAN4, LOWER_SAFE, default 1 on max): -8..1. */
static void test_signed_and_format(void **state)
{
	struct ksr_rules *rules = model("max");
	const struct ksr_reg *reg = ksr_rules_find_reg(rules, "ID_AA64MMFR0_EL1");
	const struct ksr_field *f = ksr_reg_find_field(reg, "TGRAN4");
	struct ksr_values *vals;
	char buf[64], small[4], want[32];
	int64_t lo, hi;
	int ret;

	(void)state;
	assert_true(f->flags & KSR_FIELD_SIGNED);
	assert_int_equal(ksr_field_values(reg, f, reg->limit, &vals), 0);
	assert_int_equal(ksr_values_nr_ranges(vals), 1);
	assert_int_equal(ksr_values_range(vals, 0, &lo, &hi), 0);
	assert_int_equal(lo, -8);
	assert_int_equal(hi, ksr_field_get(f, reg->limit));
	ret = ksr_values_format(vals, buf, sizeof(buf));
	assert_int_equal(ret, (int)strlen(buf));
	snprintf(small, sizeof(small), "%" PRId64, hi);
	assert_true(!strncmp(buf, "-8..", 4) && !strcmp(buf + 4, small));
	/* Truncated like snprintf: the full length is returned. */
	assert_int_equal(ksr_values_format(vals, small, sizeof(small)), (int)strlen(buf));
	assert_int_equal(strlen(small), 0);
	ksr_values_free(vals);

	/* LOWER_SAFE, unsigned: 0 up to the default, in the same syntax. */
	ksr_rules_free(rules);
	rules = model("cortex-a57");
	reg = ksr_rules_find_reg(rules, "ID_AA64MMFR0_EL1");
	f = ksr_reg_find_field(reg, "PARANGE");
	assert_int_equal(ksr_field_values(reg, f, reg->limit, &vals), 0);
	ret = ksr_values_format(vals, buf, sizeof(buf));
	snprintf(want, sizeof(want), "0..%" PRId64, ksr_field_get(f, reg->limit));
	assert_int_equal(ret, (int)strlen(want));
	assert_string_equal(buf, want);
	ksr_values_free(vals);
	ksr_rules_free(rules);
}

/* No fixture has a field wider than 16 bits; one made wider is refused. */
static void test_too_wide(void **state)
{
	struct ksr_rules *rules[8];
	struct ksr_values *vals = NULL;
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t p = 0; p < n; p++)
		for (unsigned int i = 0; i < rules[p]->nr_regs; i++)
			for (unsigned int j = 0; j < rules[p]->regs[i].nr_fields; j++)
				assert_true(rules[p]->regs[i].fields[j].width <= KSR_VALUES_MAX_WIDTH);
	struct ksr_reg *reg = (struct ksr_reg *)ksr_rules_find_reg(rules[0], "ID_AA64PFR0_EL1");

	reg->fields[0].shift = 32;
	reg->fields[0].width = 17;
	assert_int_equal(ksr_field_values(reg, &reg->fields[0], reg->limit, &vals), -E2BIG);
	assert_null(vals);
	assert_int_equal(ksr_bits_values(reg, 60, 8, false, 0, &vals), -E2BIG);
	free_all(rules, n, &g);
}

/*
 * A firmware value list's accepted values: exactly those of its listed
 * values (and its default) ksr_predict() accepts at the defaults, on every
 * fixture; -EINVAL for a register of another kind.
 */
static void test_value_lists(void **state)
{
	struct ksr_rules *rules[16];
	size_t n, lists = 0;
	glob_t g;

	(void)state;
	n = load_all(rules, &g);
	for (size_t p = 0; p < n; p++) {
		for (unsigned int i = 0; i < ksr_rules_nr_regs(rules[p]); i++) {
			const struct ksr_reg *reg = ksr_rules_reg(rules[p], i);
			bool list = ksr_reg_kind(reg) == KSR_REG_KIND_FIRMWARE &&
				    !(ksr_reg_flags(reg) & KSR_REG_BITMAP);
			struct ksr_values *vals;
			uint64_t value, back, accepted = 0;
			struct ksr_verdict v;

			if (!list) {
				assert_int_equal(ksr_reg_values_accepted(reg, &vals), -EINVAL);
				assert_null(vals);
				continue;
			}
			lists++;
			assert_int_equal(ksr_reg_values_accepted(reg, &vals), 0);
			ksr_predict(reg, ksr_reg_default(reg), ksr_reg_default(reg), &v);
			assert_true(ksr_values_contains(vals, (int64_t)ksr_reg_default(reg)) == v.accept);
			for (unsigned int k = 0; !ksr_reg_value(reg, k, &value, &back); k++) {
				if (value > INT64_MAX)
					continue;	/* a set orders int64_t: left out */
				ksr_predict(reg, value, ksr_reg_default(reg), &v);
				assert_true(ksr_values_contains(vals, (int64_t)value) == v.accept);
				accepted += v.accept && value != ksr_reg_default(reg);
			}
			accepted += ksr_values_contains(vals, (int64_t)ksr_reg_default(reg));
			assert_int_equal(ksr_values_count(vals), accepted);
			ksr_values_free(vals);
		}
	}
	assert_true(lists > 0);
	free_all(rules, n, &g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_field),
		cmocka_unit_test(test_signed_and_format),
		cmocka_unit_test(test_too_wide),
		cmocka_unit_test(test_value_lists),
	};

	return cmocka_run_group_tests_name("values", tests, NULL, NULL);
}
