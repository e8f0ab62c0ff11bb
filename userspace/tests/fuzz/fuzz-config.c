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

struct written_config {
	const struct ksr_config *cfg;
	const struct ksr_rules *rules;
	unsigned int flags;
};

static int write_config(const void *ctx, FILE *out)
{
	const struct written_config *w = ctx;

	return ksr_config_write(w->cfg, w->rules, out, w->flags);
}

static void same_config(const struct ksr_config *a, const struct ksr_config *b, const char *text)
{
	FUZZ_CHECK(ksr_config_nr(a) == ksr_config_nr(b), "%u registers written, %u read back:\n%s",
		   ksr_config_nr(a), ksr_config_nr(b), text);
	for (unsigned int i = 0; i < ksr_config_nr(a); i++) {
		struct ksr_encoding ea, eb;
		uint64_t va, vb;

		FUZZ_CHECK(!ksr_config_entry(a, i, &ea, &va) && !ksr_config_entry(b, i, &eb, &vb),
			   "ksr_config_entry(%u) failed", i);
		FUZZ_CHECK(!memcmp(&ea, &eb, sizeof(ea)) && va == vb,
			   "register %u: %u,%u,%u,%u,%u = 0x%llx written, %u,%u,%u,%u,%u = 0x%llx read back:\n%s",
			   i, ea.op0, ea.op1, ea.crn, ea.crm, ea.op2, (unsigned long long)va, eb.op0,
			   eb.op1, eb.crn, eb.crm, eb.op2, (unsigned long long)vb, text);
	}
}

/* cfg written with flags (names from rules), read back with read_rules. */
static void roundtrip(const struct ksr_config *cfg, const struct ksr_rules *rules, unsigned int flags,
		      const struct ksr_rules *read_rules)
{
	struct written_config w = { cfg, rules, flags };
	struct ksr_config *again = NULL;
	char err[FUZZ_ERR_SIZE], *text, *text2;
	size_t len, len2;
	int ret;

	text = fuzz_written(write_config, &w, &len);
	fuzz_err_reset(err);
	ret = ksr_config_parse(text, len, "written", read_rules, &again, err, sizeof(err));
	FUZZ_CHECK(!ret, "what ksr_config_write(flags %#x) wrote does not read back (%d): %s\n%s",
		   flags, ret, err, text);
	same_config(cfg, again, text);
	w.cfg = again;
	text2 = fuzz_written(write_config, &w, &len2);
	FUZZ_CHECK(len == len2 && !memcmp(text, text2, len),
		   "written, read back and written again (flags %#x), the text changed:\n%s\n---\n%s",
		   flags, text, text2);
	free(text2);
	free(text);
	ksr_config_free(again);
}

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
	roundtrip(cfg, rules, 0, rules);
	roundtrip(cfg, rules, KSR_CONFIG_BY_ENCODING, NULL);
	roundtrip(cfg, rules, KSR_CONFIG_JSON, rules);
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
