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
 *
 * With rules, the input is also read as the CLI reads --config by default,
 * ksr_config_parse_format(KSR_CONFIG_FORMAT_AUTO): the VMMs' formats too.
 * What it reads in a VMM's format must write back in that format
 * (ksr_config_read_format()), read back to the same registers and values,
 * and write the same text again; and clamp (which keeps that format).
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

/* The configuration in its own format, as text (abort()s on failure). */
static char *written_as(const struct ksr_config *cfg, const struct ksr_rules *rules,
			enum ksr_config_format format, size_t *len)
{
	char err[FUZZ_ERR_SIZE], *text = NULL;
	FILE *out = open_memstream(&text, len);
	int ret;

	FUZZ_CHECK(out, "open_memstream failed");
	fuzz_err_reset(err);
	ret = ksr_config_write_format(cfg, rules, format, out, 0, err, sizeof(err));
	FUZZ_CHECK(!fclose(out), "closing the memory stream failed");
	FUZZ_CHECK(!ret, "what was read as %s does not write back as it (%d): %s",
		   ksr_config_format_name(format), ret, err);
	return text;
}

static void one_vmm(const uint8_t *data, size_t size, const struct ksr_rules *rules)
{
	struct ksr_config *cfg = NULL, *again = NULL;
	enum ksr_config_format format;
	char err[FUZZ_ERR_SIZE], *text, *text2;
	struct ksr_report *rep;
	size_t len, len2;
	int ret;

	fuzz_err_reset(err);
	ret = ksr_config_parse_format((const char *)data, size, "fuzz", rules,
				      KSR_CONFIG_FORMAT_AUTO, &cfg, err, sizeof(err));
	if (ret) {
		fuzz_err_check("ksr_config_parse_format", err, ret);
		FUZZ_CHECK(!cfg, "configuration set on failure");
		return;
	}
	format = ksr_config_read_format(cfg);
	if (format == KSR_CONFIG_FORMAT_LINES || format == KSR_CONFIG_FORMAT_JSON) {
		ksr_config_free(cfg);	/* one() has these */
		return;
	}
	text = written_as(cfg, rules, format, &len);
	fuzz_err_reset(err);
	ret = ksr_config_parse_format(text, len, "written", rules, format, &again, err, sizeof(err));
	FUZZ_CHECK(!ret, "what was written as %s does not read back (%d): %s\n%s",
		   ksr_config_format_name(format), ret, err, text);
	fuzz_same_config(cfg, again, text);
	text2 = written_as(again, rules, format, &len2);
	FUZZ_CHECK(len == len2 && !memcmp(text, text2, len),
		   "written as %s, read back and written again, the text changed:\n%s\n---\n%s",
		   ksr_config_format_name(format), text, text2);
	fuzz_err_reset(err);
	ret = ksr_clamp(rules, cfg, &rep, err, sizeof(err));
	if (ret) {
		fuzz_err_check("ksr_clamp", err, ret);
	} else {
		FUZZ_CHECK(ksr_config_read_format(ksr_report_config(rep)) == format,
			   "clamp lost the format %s", ksr_config_format_name(format));
		ksr_report_free(rep);
	}
	free(text2);
	free(text);
	ksr_config_free(again);
	ksr_config_free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, NULL);
	one(data, size, fuzz_rules());
	one_vmm(data, size, fuzz_rules());
	return 0;
}
