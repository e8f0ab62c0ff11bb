// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: configurations (Documentation/config-format.rst) read
 * with ksr_config_parse(), what ksr_config_load() reads a file with: the
 * lines format and the JSON format, told apart by the first non-blank
 * character as the reader does. Each input is read twice: without rules
 * (encodings and S<op0>_<op1>_C<n>_C<m>_<op2> names only) and with the
 * fixture max.json's rules (register names too).
 *
 * An input that is refused must be refused with a message. One that is
 * accepted must survive three round trips: written with ksr_config_write()
 * (what ksr_config_save() writes into its file) as lines with names, as
 * lines with encodings (read back without rules) and as JSON, each reads
 * back to the same registers and values and writes the same text again.
 * Anything else abort()s. With rules, the configuration is then checked
 * (ksr_check()), what the CLI's check and clamp do next.
 */
#include "fuzz.h"

static void one(const uint8_t *data, size_t size, const struct ksr_rules *rules)
{
	struct ksr_config *cfg = NULL;
	struct ksr_report *rep;
	char err[FUZZ_ERR_SIZE];
	int ret;

	fuzz_err_reset(err);
	ret = ksr_config_parse((const char *)data, size, "fuzz", rules, &cfg, err, sizeof(err));
	if (ret) {
		fuzz_err_check("ksr_config_parse", err, ret);
		FUZZ_CHECK(!cfg, "configuration set on failure");
		return;
	}
	FUZZ_CHECK(cfg, "no configuration on success");
	fuzz_config_roundtrip(cfg, rules, 0, rules);
	fuzz_config_roundtrip(cfg, rules, KSR_CONFIG_BY_ENCODING, NULL);
	fuzz_config_roundtrip(cfg, rules, KSR_CONFIG_JSON, rules);
	if (rules) {
		fuzz_err_reset(err);
		ret = ksr_check(rules, cfg, &rep, err, sizeof(err));
		if (ret)
			fuzz_err_check("ksr_check", err, ret);
		else
			ksr_report_free(rep);
	}
	ksr_config_free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, NULL);
	one(data, size, fuzz_rules());
	return 0;
}
