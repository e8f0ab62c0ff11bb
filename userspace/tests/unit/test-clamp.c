// SPDX-License-Identifier: GPL-2.0
/*
 * ksr_clamp(): every fixture's defaults clamped on every other fixture give
 * a configuration ksr_predict() accepts, each field (a firmware bitmap's
 * bits among them) and each firmware value list chosen as documented among
 * the values the predictor accepts (never a table of rules).
 */
#include <errno.h>

#include "unit.h"

/* The documented choice, from the accepted values enumerated here. */
static int64_t expected(const struct ksr_reg *reg, const struct ksr_field *f, int64_t want)
{
	int64_t best_below = INT64_MIN, best_above = INT64_MAX;

	for (uint64_t raw = 0; raw < (1ull << f->width); raw++) {
		int64_t o = ksr_field_get(f, with_field(f, 0, raw));

		if (!accepts(reg, with_field(f, reg->limit, raw)))
			continue;
		if (o <= want && o > best_below)
			best_below = o;
		if (o > want && o < best_above)
			best_above = o;
	}
	return best_below != INT64_MIN ? best_below : best_above;
}

/*
 * A firmware value list's documented choice: the greatest value it lists
 * (or its default) the predictor accepts at or below want, else the default.
 */
static uint64_t expected_value(const struct ksr_reg *reg, uint64_t want)
{
	uint64_t best = reg->limit, x = reg->limit;
	bool found = false;

	for (unsigned int i = 0; i <= ksr_reg_nr_values(reg); i++) {
		if (accepts(reg, x) && x <= want && (!found || x > best)) {
			best = x;
			found = true;
		}
		if (i < ksr_reg_nr_values(reg))
			assert_int_equal(ksr_reg_value(reg, i, &x, NULL), 0);
	}
	return best;
}

static void clamp_pair(const struct ksr_rules *from, const struct ksr_rules *to, unsigned int *changes,
		       unsigned int *values)
{
	struct ksr_config *want;
	struct ksr_report *rep;
	char err[256];

	assert_int_equal(ksr_config_from_defaults(from, &want), 0);
	if (ksr_clamp(to, want, &rep, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(ksr_report_ok(rep));
	for (unsigned int i = 0; i < to->nr_regs; i++) {
		const struct ksr_reg *reg = &to->regs[i];
		uint64_t w, got, fielded = 0;

		assert_int_equal(ksr_config_find_id(want, ksr_reg_id(reg), &w), 0);
		assert_int_equal(ksr_config_find_id(ksr_report_config(rep), ksr_reg_id(reg), &got), 0);
		assert_true(accepts(reg, got));
		if (ksr_reg_is_value_list(reg)) {
			assert_int_equal(got, expected_value(reg, w));
			(*values)++;
			continue;
		}
		for (unsigned int j = 0; j < reg->nr_fields; j++) {
			const struct ksr_field *f = &reg->fields[j];

			fielded |= ksr_field_mask(f);
			assert_int_equal(ksr_field_get(f, got), expected(reg, f, ksr_field_get(f, w)));
		}
		assert_int_equal(got & ~fielded, reg->limit & ~fielded);
	}
	for (unsigned int i = 0; i < ksr_report_nr(rep); i++) {
		struct ksr_finding f = finding(rep, i);

		assert_int_equal(f.kind, KSR_FINDING_CHANGE);
		assert_int_not_equal(f.value, f.result);
		(*changes)++;
	}
	ksr_report_free(rep);
	ksr_config_free(want);
}

static void test_every_pair(void **state)
{
	struct ksr_rules *rules[8];
	unsigned int changes = 0, self = 0, values = 0;
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t a = 0; a < n; a++) {
		clamp_pair(rules[a], rules[a], &self, &values);
		for (size_t b = 0; b < n; b++)
			if (a != b)
				clamp_pair(rules[a], rules[b], &changes, &values);
	}
	assert_int_equal(self, 0);	/* the defaults are kept */
	assert_true(changes > 0);
	assert_true(values > 0);	/* KVM_REG_ARM_PSCI_VERSION and the workarounds */
	free_all(rules, n, &g);
}

/* Above the default of a LOWER_SAFE field: the default, and the change is listed. */
static void test_change_listed(void **state)
{
	struct ksr_rules *rules = model("cortex-a53");
	const struct ksr_reg *reg = ksr_rules_find_reg(rules, "ID_AA64MMFR0_EL1");
	const struct ksr_field *f = ksr_reg_find_field(reg, "PARANGE");
	struct ksr_config *cfg;
	struct ksr_report *rep;
	struct ksr_finding fd;
	uint64_t got;

	(void)state;
	assert_int_equal(ksr_config_new(&cfg), 0);
	/* PARANGE 15 and a bit in no field (none in this register: bits of fixed fields). */
	assert_int_equal(ksr_config_set(cfg, reg->enc, with_field(f, reg->limit, 15)), 0);
	assert_int_equal(ksr_clamp(rules, cfg, &rep, NULL, 0), 0);
	assert_int_equal(ksr_report_nr(rep), 1);
	fd = finding(rep, 0);
	assert_string_equal(fd.reg_name, "ID_AA64MMFR0_EL1");
	assert_string_equal(fd.field_name, "PARANGE");
	assert_int_equal(fd.value, 15);
	assert_int_equal(fd.result, field_raw(f, reg->limit));
	assert_string_equal(fd.why, "above-default");
	assert_int_equal(ksr_config_find(ksr_report_config(rep), reg->enc, &got), 0);
	assert_int_equal(got, reg->limit);
	ksr_report_free(rep);
	ksr_config_free(cfg);

	/* Bits in no field take the default. */
	reg = ksr_rules_find_reg(rules, "ID_PFR0_EL1");
	assert_true(reg->unfielded_mask != 0);
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_set(cfg, reg->enc, reg->limit | reg->unfielded_mask), 0);
	assert_int_equal(ksr_clamp(rules, cfg, &rep, NULL, 0), 0);
	fd = finding(rep, 0);
	assert_false(fd.is_field);
	assert_int_equal(fd.mask, reg->unfielded_mask & ~reg->limit);
	assert_string_equal(fd.why, "bits-outside-fields");
	ksr_report_free(rep);

	/* A register the rules lack. */
	assert_int_equal(ksr_config_set(cfg, (struct ksr_encoding){ 3, 1, 0, 0, 0 }, 0), 0);
	assert_int_equal(ksr_clamp(rules, cfg, &rep, NULL, 0), -ENOENT);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

/* The parts a configuration kept (ksr_config_kept()) are the same in b as in a. */
static void same_kept(const struct ksr_config *a, const struct ksr_config *b)
{
	const char *ka, *ta, *kb, *tb;
	unsigned int i;

	for (i = 0; !ksr_config_kept(a, i, &ka, &ta); i++) {
		assert_int_equal(ksr_config_kept(b, i, &kb, &tb), 0);
		assert_string_equal(kb, ka);
		assert_string_equal(tb, ta);
	}
	assert_int_equal(ksr_config_kept(b, i, &kb, &tb), -ERANGE);
}

/* cfg written in format to memory and read back over rules. */
static struct ksr_config *round_trip(const struct ksr_config *cfg, const struct ksr_rules *rules,
				     enum ksr_config_format format, char **text)
{
	struct ksr_config *back;
	size_t len = 0;
	FILE *f = open_memstream(text, &len);
	char err[512] = "";

	assert_non_null(f);
	if (ksr_config_write_format(cfg, rules, format, f, 0, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(fclose(f), 0);
	back = parse_or_fail(*text, rules, format);
	return back;
}

/*
 * What a VMM's configuration keeps without interpreting it (Firecracker's
 * vcpu_features and kvm_capabilities, QEMU's model and other properties)
 * is in the clamped configuration, and written back with it; in check's
 * and migrate-check's too.
 */
static void test_kept_parts_survive(void **state)
{
	/* PARANGE (bits 3:0 of ID_AA64MMFR0_EL1) 15: above cortex-a53's default */
	static const char fc[] =
		"{ \"reg_modifiers\": [ { \"addr\": \"0x603000000013c038\", \"bitmap\": \"0b1111\" } ],\n"
		"  \"vcpu_features\": [ { \"index\": 0, \"bitmap\": \"0b1xxxxxx\" } ],\n"
		"  \"kvm_capabilities\": [ \"171\", \"!172\" ] }\n";
	static const char qemu[] = "host,sve=off,SYSREG_ID_AA64MMFR0_EL1_PARANGE=15,pmu=on";
	static const struct {
		const char *text;
		enum ksr_config_format format;
	} inputs[] = { { fc, KSR_CONFIG_FORMAT_FIRECRACKER }, { qemu, KSR_CONFIG_FORMAT_QEMU } };
	struct ksr_rules *rules = model("cortex-a53");
	const struct ksr_reg *reg = ksr_rules_find_reg(rules, "ID_AA64MMFR0_EL1");

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct ksr_config *cfg = parse_or_fail(inputs[i].text, rules, inputs[i].format), *back;
		struct ksr_report *rep, *clamped;
		const char *key, *text;
		char *written = NULL;
		uint64_t got;

		/* The input kept something, and the clamp changes a field */
		assert_int_equal(ksr_config_kept(cfg, 0, &key, &text), 0);
		assert_int_equal(ksr_clamp(rules, cfg, &rep, NULL, 0), 0);
		assert_true(ksr_report_nr(rep) > 0);
		assert_int_equal(ksr_config_find_id(ksr_report_config(rep), ksr_reg_id(reg), &got), 0);
		assert_int_equal(got, reg->limit);
		same_kept(cfg, ksr_report_config(rep));
		/*
		 * Written back in its format (Firecracker's arrays under their
		 * keys, QEMU's text as it was), read again: the same kept parts
		 */
		back = round_trip(ksr_report_config(rep), rules, inputs[i].format, &written);
		same_kept(cfg, back);
		for (unsigned int k = 0; !ksr_config_kept(cfg, k, &key, &text); k++)
			assert_non_null(strstr(written, inputs[i].format == KSR_CONFIG_FORMAT_QEMU ? text : key));
		free(written);
		ksr_config_free(back);
		ksr_report_free(rep);

		assert_int_equal(ksr_check(rules, cfg, &rep, NULL, 0), 0);
		same_kept(cfg, ksr_report_config(rep));
		ksr_report_free(rep);
		/* migrate-check of the clamped (accepted) configuration, to the same rules */
		assert_int_equal(ksr_clamp(rules, cfg, &clamped, NULL, 0), 0);
		assert_int_equal(ksr_migrate_check(rules, rules, ksr_report_config(clamped), &rep, NULL, 0), 0);
		assert_true(ksr_report_ok(rep));
		same_kept(cfg, ksr_report_config(rep));
		ksr_report_free(rep);
		ksr_report_free(clamped);
		ksr_config_free(cfg);
	}
	ksr_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_change_listed),
		cmocka_unit_test(test_kept_parts_survive),
	};

	return cmocka_run_group_tests_name("clamp", tests, NULL, NULL);
}
