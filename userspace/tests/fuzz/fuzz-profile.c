// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: profiles (Documentation/profile-format.rst) read from
 * memory with ksr_profile_parse(), what ksr_profile_load() reads a file
 * with.
 *
 * An input that is refused must be refused with a message. One that is
 * accepted must survive the round trip: written with ksr_profile_write()
 * (what ksr_profile_save() writes into its file), the text reads back,
 * the rules read back are identical to the first (ksr_diff() finds
 * nothing) and write the same text again. Anything else abort()s. The
 * rules are then put through the predictor and the value enumeration, the
 * code a profile's numbers reach first.
 *
 * Every register name must survive a configuration: written by
 * ksr_config_write() and read back, it names the same register (issue 11:
 * names with blanks or control characters, or shaped like another
 * register's encoding, did not; regressions/profile/ keeps those inputs).
 */
#include "fuzz.h"

static int write_profile(const void *rules, FILE *out)
{
	return ksr_profile_write(rules, out);
}

/* The predictor on a few values of each register, and the values of narrow fields. */
static void exercise(const struct ksr_rules *rules)
{
	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++) {
		const struct ksr_reg *reg = ksr_rules_reg(rules, i);
		uint64_t def = ksr_reg_default(reg);
		const uint64_t values[] = { def, 0, ~0ull, def ^ ksr_reg_writable_mask(reg) };
		struct ksr_verdict v;

		for (size_t j = 0; j < sizeof(values) / sizeof(values[0]); j++) {
			ksr_predict(reg, values[j], def, &v);
			FUZZ_CHECK(v.nr_faults <= KSR_MAX_FAULTS, "%u faults", v.nr_faults);
			FUZZ_CHECK(v.accept == (v.error == 0), "accept %d with error %d", v.accept,
				   v.error);
		}
		for (unsigned int k = 0; k < ksr_reg_nr_fields(reg); k++) {
			const struct ksr_field *f = ksr_reg_field(reg, k);
			struct ksr_values *vals;
			char buf[128];

			(void)ksr_field_get(f, def);
			if (ksr_field_width(f) > 8)
				continue;
			FUZZ_CHECK(!ksr_field_values(reg, f, def, &vals), "ksr_field_values failed");
			FUZZ_CHECK(ksr_values_format(vals, buf, sizeof(buf)) >= 0, "ksr_values_format");
			ksr_values_free(vals);
		}
	}
}

/*
 * The rules' defaults as a configuration, written as lines and as JSON with
 * the rules' register names (what clamp and baseline print), read back
 * through the same rules to the same registers (pending/README: names the
 * profile reader accepts but a configuration cannot carry).
 */
static void pending(const struct ksr_rules *rules)
{
	struct ksr_config *cfg;

	FUZZ_CHECK(!ksr_config_from_defaults(rules, &cfg), "ksr_config_from_defaults failed");
	fuzz_config_roundtrip(cfg, rules, 0, rules);
	fuzz_config_roundtrip(cfg, rules, KSR_CONFIG_JSON, rules);
	ksr_config_free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksr_rules *rules = NULL, *again = NULL;
	struct ksr_report *rep = NULL;
	char err[FUZZ_ERR_SIZE], *text, *text2;
	size_t len, len2;
	int ret;

	fuzz_err_reset(err);
	ret = ksr_profile_parse((const char *)data, size, "fuzz.json", &rules, err, sizeof(err));
	if (ret) {
		fuzz_err_check("ksr_profile_parse", err, ret);
		FUZZ_CHECK(!rules, "rules set on failure");
		return 0;
	}
	FUZZ_CHECK(rules, "no rules on success");

	/* load -> save -> load: the same rules, and the same text again */
	text = fuzz_written(write_profile, rules, &len);
	fuzz_err_reset(err);
	ret = ksr_profile_parse(text, len, "written.json", &again, err, sizeof(err));
	FUZZ_CHECK(!ret, "what ksr_profile_write() wrote does not read back (%d): %s\n%s", ret,
		   err, text);
	FUZZ_CHECK(!ksr_diff(rules, again, &rep, err, sizeof(err)), "ksr_diff: %s", err);
	FUZZ_CHECK(ksr_report_ok(rep) && ksr_report_nr(rep) == 0,
		   "the profile read back differs from the one written (%u differences):\n%s",
		   ksr_report_nr(rep), text);
	ksr_report_free(rep);
	text2 = fuzz_written(write_profile, again, &len2);
	FUZZ_CHECK(len == len2 && !memcmp(text, text2, len),
		   "written, read back and written again, the text changed:\n%s\n---\n%s", text,
		   text2);
	free(text2);
	free(text);
	ksr_rules_free(again);

	exercise(rules);
	pending(rules);
	ksr_rules_free(rules);
	return 0;
}
