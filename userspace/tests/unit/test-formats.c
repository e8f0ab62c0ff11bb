// SPDX-License-Identifier: GPL-2.0
/*
 * Configurations in the VMMs' formats: Firecracker's aarch64 CPU templates
 * and QEMU's SYSREG_ properties, written by hand from their documented
 * shapes. Round trips in every format on every fixture, templates checked
 * with their predicted outcome, a property list per QEMU named model
 * checked on every fixture, and each error naming its place.
 */
#include <errno.h>
#include <unistd.h>

#include "unit.h"

#define NR(a) (sizeof(a) / sizeof((a)[0]))

/* The configuration written to memory, NUL-terminated; the writer's return in *ret. */
static char *write_fmt(const struct ksr_config *cfg, const struct ksr_rules *rules,
		       enum ksr_config_format format, unsigned int flags, int *ret, char *err,
		       size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*ret = ksr_config_write_format(cfg, rules, format, f, flags, err, errlen);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static char *must_write(const struct ksr_config *cfg, const struct ksr_rules *rules,
			enum ksr_config_format format, unsigned int flags)
{
	char err[512] = "";
	int ret;
	char *text = write_fmt(cfg, rules, format, flags, &ret, err, sizeof(err));

	if (ret)
		fail_msg("%s: %s", ksr_config_format_name(format), err);
	return text;
}

/*
 * The defaults with some changes: the first named field of the first three
 * ID registers that have one flipped in its lowest bit, and (firmware
 * true) the first firmware register's lowest bit.
 */
static struct ksr_config *changed(const struct ksr_rules *rules, bool firmware)
{
	struct ksr_config *cfg;
	unsigned int regs = 0;

	assert_int_equal(ksr_config_from_defaults(rules, &cfg), 0);
	for (unsigned int i = 0; i < rules->nr_regs; i++) {
		const struct ksr_reg *reg = &rules->regs[i];

		if (reg->kind == KSR_REG_KIND_FIRMWARE && firmware) {
			assert_int_equal(ksr_config_set_id(cfg, reg->id, reg->limit ^ 1), 0);
			firmware = false;
		}
		if (reg->kind != KSR_REG_KIND_ID || regs == 3 || !reg->name)
			continue;
		for (unsigned int j = 0; j < reg->nr_fields; j++) {
			if (reg->fields[j].name) {
				assert_int_equal(ksr_config_set_id(cfg, reg->id, reg->limit ^
								   1ull << reg->fields[j].shift), 0);
				regs++;
				break;
			}
		}
	}
	assert_int_equal(regs, 3);
	return cfg;
}

/* defaults -> some changes -> each format -> parse (named and detected) -> the same. */
static void test_roundtrip_every_format(void **state)
{
	static const enum ksr_config_format formats[] = {
		KSR_CONFIG_FORMAT_LINES, KSR_CONFIG_FORMAT_JSON, KSR_CONFIG_FORMAT_FIRECRACKER,
		KSR_CONFIG_FORMAT_QEMU, KSR_CONFIG_FORMAT_QEMU_LINES,
	};
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t p = 0; p < n; p++) {
		for (size_t k = 0; k < NR(formats); k++) {
			enum ksr_config_format fmt = formats[k];
			bool qemu = fmt == KSR_CONFIG_FORMAT_QEMU || fmt == KSR_CONFIG_FORMAT_QEMU_LINES;
			struct ksr_config *cfg = changed(rules[p], !qemu), *again;
			char *text = must_write(cfg, rules[p], fmt, 0);
			enum ksr_config_format detected = ksr_config_detect_format(text, strlen(text));

			assert_int_equal(detected, qemu ? qemu_form(text) : fmt);
			again = parse_or_fail(text, rules[p], fmt);
			if (!config_same(cfg, again))
				fail_msg("%s: %s: not the same configuration:\n%s", g.gl_pathv[p],
					 ksr_config_format_name(fmt), text);
			ksr_config_free(again);
			again = parse_or_fail(text, rules[p], KSR_CONFIG_FORMAT_AUTO);
			assert_true(config_same(cfg, again));
			ksr_config_free(again);
			free(text);
			ksr_config_free(cfg);
		}
	}
	free_all(rules, n, &g);
}

/* Only what differs is written: 3 modifiers or 3 properties; nothing for the defaults. */
static void test_write_only_changes(void **state)
{
	struct ksr_rules *rules = model("max");
	struct ksr_config *cfg = changed(rules, false), *defaults;
	char *fc = must_write(cfg, rules, KSR_CONFIG_FORMAT_FIRECRACKER, 0);
	char *qemu = must_write(cfg, rules, KSR_CONFIG_FORMAT_QEMU_LINES, 0), *text;
	size_t mods = 0, props = 0;

	(void)state;
	for (const char *s = fc; (s = strstr(s, "\"addr\"")); s++)
		mods++;
	for (const char *s = qemu; (s = strstr(s, "SYSREG_")); s++)
		props++;
	assert_int_equal(mods, 3);
	assert_int_equal(props, 3);
	assert_non_null(strstr(fc, "\"0bxxxxxxxx"));	/* x where it keeps the default */
	assert_int_equal(ksr_config_from_defaults(rules, &defaults), 0);
	text = must_write(defaults, rules, KSR_CONFIG_FORMAT_QEMU, 0);
	assert_string_equal(text, "");
	free(text);
	text = must_write(defaults, rules, KSR_CONFIG_FORMAT_FIRECRACKER, 0);
	assert_non_null(strstr(text, "\"reg_modifiers\":[\n  ]") ?: strstr(text, "\"reg_modifiers\":[]") ?:
			strstr(text, "\"reg_modifiers\": ["));
	free(text);
	free(fc);
	free(qemu);
	ksr_config_free(defaults);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

/* ---- Firecracker templates ---------------------------------------------- */

/*
 * A file of the VMM test data (userspace/tests/data/vmm, its README says
 * where each shape comes from), NUL-terminated.
 */
static char *vmm_data(const char *name)
{
	char path[512];
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", KSR_VMM_DATA, name);
	return slurp(path, &len);
}

/* The line a bad input's NAME.err expects, without its newline. */
static char *vmm_expected(const char *err_path)
{
	size_t len;
	char *text = slurp(err_path, &len);

	assert_true(len > 1 && text[len - 1] == '\n');
	text[len - 1] = '\0';
	assert_null(strchr(text, '\n'));
	return text;
}

/* The input beside NAME.err: the one other file NAME.* (malloc'ed). */
static char *input_of(const char *err_path)
{
	size_t stem = strlen(err_path) - strlen(".err");
	char pattern[512], *path = NULL;
	glob_t g;

	snprintf(pattern, sizeof(pattern), "%.*s.*", (int)stem, err_path);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		if (!strcmp(g.gl_pathv[i], err_path))
			continue;
		if (path)
			fail_msg("%s: two inputs, %s and %s", err_path, path, g.gl_pathv[i]);
		path = strdup(g.gl_pathv[i]);
	}
	globfree(&g);
	if (!path)
		fail_msg("%s: no input beside it", err_path);
	return path;
}

/* ksr_check(): accepted, or the first field refused as "REG.FIELD" in bad. */
static bool check_ok(const struct ksr_rules *rules, const struct ksr_config *cfg, char *bad,
		     size_t len)
{
	struct ksr_report *rep;
	char err[512];
	bool ok;

	if (ksr_check(rules, cfg, &rep, err, sizeof(err)))
		fail_msg("%s", err);
	ok = ksr_report_ok(rep);
	bad[0] = '\0';
	for (unsigned int i = 0; i < ksr_report_nr(rep) && !bad[0]; i++) {
		struct ksr_finding f = finding(rep, i);

		if (f.kind == KSR_FINDING_FIELD && !f.ok)
			snprintf(bad, len, "%s.%s", f.reg_name, f.field_name ?: "?");
	}
	ksr_report_free(rep);
	return ok;
}

static uint64_t field_of(const struct ksr_rules *rules, const struct ksr_config *cfg,
			 const char *reg_name, const char *field)
{
	const struct ksr_reg *reg = ksr_rules_find_reg(rules, reg_name);
	const struct ksr_field *f = ksr_reg_find_field(reg, field);
	uint64_t v;

	assert_int_equal(ksr_config_find_id(cfg, reg->id, &v), 0);
	return field_raw(f, v);
}

/* A no-op template: every fixture's defaults, accepted; the rest kept and reported. */
static void test_fc_noop(void **state)
{
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);
	char *noop = vmm_data("firecracker/noop.json");

	(void)state;
	for (size_t p = 0; p < n; p++) {
		struct ksr_config *cfg = parse_or_fail(noop, rules[p], KSR_CONFIG_FORMAT_AUTO), *defaults;
		const char *key, *text;
		char *out, bad[128];

		assert_int_equal(ksr_config_from_defaults(rules[p], &defaults), 0);
		assert_true(config_same(cfg, defaults));
		assert_true(check_ok(rules[p], cfg, bad, sizeof(bad)));
		assert_int_equal(ksr_config_kept(cfg, 0, &key, &text), 0);
		assert_string_equal(key, "vcpu_features");
		assert_string_equal(text, "[{\"index\":0,\"bitmap\":\"0b1xxxxxx\"}]");
		assert_int_equal(ksr_config_kept(cfg, 1, &key, &text), 0);
		assert_string_equal(key, "kvm_capabilities");
		assert_string_equal(text, "[\"171\",\"!172\"]");
		assert_int_equal(ksr_config_kept(cfg, 2, &key, &text), -ERANGE);
		/* Written back: no modifier, the kept parts as they were. */
		out = must_write(cfg, rules[p], KSR_CONFIG_FORMAT_FIRECRACKER, 0);
		assert_null(strstr(out, "addr"));
		assert_non_null(strstr(out, "\"!172\""));
		assert_non_null(strstr(out, "0b1xxxxxx"));
		free(out);
		ksr_config_free(defaults);
		ksr_config_free(cfg);
	}
	free(noop);
	free_all(rules, n, &g);
}

/*
 * SVE and PAuth hidden: the five fields 0, the other bits at their
 * defaults; the predictor accepts it on every fixture.
 */
static void test_fc_hide_sve_pauth(void **state)
{
	static const char *const isar1[] = { "GPI", "GPA", "API", "APA" };
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);
	char *hide = vmm_data("firecracker/hide-sve-pauth.json");

	(void)state;
	for (size_t p = 0; p < n; p++) {
		struct ksr_config *cfg = parse_or_fail(hide, rules[p], KSR_CONFIG_FORMAT_AUTO);
		char bad[128];

		assert_int_equal(field_of(rules[p], cfg, "ID_AA64PFR0_EL1", "SVE"), 0);
		for (size_t i = 0; i < NR(isar1); i++)
			assert_int_equal(field_of(rules[p], cfg, "ID_AA64ISAR1_EL1", isar1[i]), 0);
		assert_int_equal(field_of(rules[p], cfg, "ID_AA64PFR0_EL1", "EL0"),
				 field_raw(ksr_reg_find_field(ksr_rules_find_reg(rules[p], "ID_AA64PFR0_EL1"), "EL0"),
					   ksr_rules_find_reg(rules[p], "ID_AA64PFR0_EL1")->limit));
		if (!check_ok(rules[p], cfg, bad, sizeof(bad)))
			fail_msg("%s: refused (%s)", g.gl_pathv[p], bad);
		ksr_config_free(cfg);
	}
	free(hide);
	free_all(rules, n, &g);
}

/* SVE asked for: accepted where the fixture's default has it, refused on SVE where not. */
static void test_fc_field_the_host_lacks(void **state)
{
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);
	unsigned int refused = 0;
	char *sve = vmm_data("firecracker/sve.json");

	(void)state;
	for (size_t p = 0; p < n; p++) {
		const struct ksr_reg *pfr0 = ksr_rules_find_reg(rules[p], "ID_AA64PFR0_EL1");
		bool has_sve = field_raw(ksr_reg_find_field(pfr0, "SVE"), pfr0->limit) >= 1;
		struct ksr_config *cfg = parse_or_fail(sve, rules[p], KSR_CONFIG_FORMAT_FIRECRACKER);
		char bad[128];
		bool ok = check_ok(rules[p], cfg, bad, sizeof(bad));

		if (has_sve != ok)
			fail_msg("%s: SVE default %d, check %s", g.gl_pathv[p], has_sve, ok ? "ok" : bad);
		if (!ok) {
			assert_string_equal(bad, "ID_AA64PFR0_EL1.SVE");
			refused++;
		}
		ksr_config_free(cfg);
	}
	assert_true(refused >= 6);	/* only max has SVE; the a64fx VM is made without it */
	free(sve);
	free_all(rules, n, &g);
}

/*
 * The shape of the ARM example of Firecracker's cpu-templates.md: DIT and
 * SVE cleared by a full 64-bit bitmap, the rest of ID_AA64PFR0_EL1 and every
 * other register at its default, accepted on every fixture; the PTRAUTH
 * vcpu_features and kvm_capabilities kept as they were written.
 */
static void test_fc_documented_example(void **state)
{
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);
	char *text = vmm_data("firecracker/hide-dit-sve.json");

	(void)state;
	for (size_t p = 0; p < n; p++) {
		const struct ksr_reg *pfr0 = ksr_rules_find_reg(rules[p], "ID_AA64PFR0_EL1");
		uint64_t hidden = ksr_field_mask(ksr_reg_find_field(pfr0, "DIT")) |
				  ksr_field_mask(ksr_reg_find_field(pfr0, "SVE")), v;
		struct ksr_config *cfg = parse_or_fail(text, rules[p], KSR_CONFIG_FORMAT_AUTO), *defaults;
		const char *key, *kept;
		char bad[128];

		assert_int_equal(ksr_config_find_id(cfg, pfr0->id, &v), 0);
		assert_int_equal(v, pfr0->limit & ~hidden);
		/* every other register as the defaults */
		assert_int_equal(ksr_config_from_defaults(rules[p], &defaults), 0);
		assert_int_equal(ksr_config_set_id(defaults, pfr0->id, v), 0);
		assert_true(config_same(cfg, defaults));
		if (!check_ok(rules[p], cfg, bad, sizeof(bad)))
			fail_msg("%s: refused (%s)", g.gl_pathv[p], bad);
		assert_int_equal(ksr_config_kept(cfg, 0, &key, &kept), 0);
		assert_string_equal(key, "vcpu_features");
		assert_string_equal(kept, "[{\"index\":0,\"bitmap\":\"0b1100000\"}]");
		assert_int_equal(ksr_config_kept(cfg, 1, &key, &kept), 0);
		assert_string_equal(key, "kvm_capabilities");
		assert_string_equal(kept, "[\"171\",\"172\"]");
		ksr_config_free(defaults);
		ksr_config_free(cfg);
	}
	free(text);
	free_all(rules, n, &g);
}

/*
 * cpu-template-helper's dump shape, made from neoverse-n1's defaults: on
 * that profile exactly its defaults and accepted; written back with every
 * bit, the same template.
 */
static void test_fc_helper_dump(void **state)
{
	struct ksr_rules *rules = model("neoverse-n1");
	char *text = vmm_data("firecracker/helper-dump-neoverse-n1.json"), *out, bad[128];
	struct ksr_config *cfg = parse_or_fail(text, rules, KSR_CONFIG_FORMAT_AUTO), *defaults, *again;

	(void)state;
	assert_int_equal(ksr_config_from_defaults(rules, &defaults), 0);
	assert_true(config_same(cfg, defaults));
	assert_true(check_ok(rules, cfg, bad, sizeof(bad)));
	out = must_write(cfg, rules, KSR_CONFIG_FORMAT_FIRECRACKER, KSR_CONFIG_EVERY_FIELD);
	/* every bit given, as the helper gives them: no x in any bitmap */
	for (const char *b = out; (b = strstr(b, "\"0b")); b++)
		assert_int_equal(strspn(b + 3, "01"), 64);
	again = parse_or_fail(out, rules, KSR_CONFIG_FORMAT_FIRECRACKER);
	assert_true(config_same(cfg, again));
	free(out);
	free(text);
	ksr_config_free(again);
	ksr_config_free(defaults);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

/*
 * The QEMU property lists of data/vmm/qemu: the fields each sets (from its
 * text), every other bit at the profile's default, on every fixture.
 */
static const struct { const char *file, *reg, *field; uint64_t value; } qemu_data[] = {
	{ "qemu/host-dp.txt", "ID_AA64ISAR0_EL1", "DP", 0 },
	{ "qemu/host-ctr-dic.txt", "CTR_EL0", "DIC", 0 },
	{ "qemu/host-sve.txt", "ID_AA64PFR0_EL1", "SVE", 1 },
	{ "qemu/hide-features.lines", "ID_AA64PFR0_EL1", "DIT", 0 },
	{ "qemu/hide-features.lines", "ID_AA64ISAR0_EL1", "DP", 0 },
	{ "qemu/hide-features.lines", "ID_AA64ISAR0_EL1", "FHM", 0 },
	{ "qemu/hide-features.lines", "ID_AA64MMFR2_EL1", "CnP", 0 },
	{ "qemu/hide-features.lines", "CTR_EL0", "DIC", 0 },
};

static void test_qemu_data(void **state)
{
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t p = 0; p < n; p++) {
		for (size_t i = 0; i < NR(qemu_data); i++) {
			char *text;
			struct ksr_config *cfg, *expected;
			const char *key, *kept;

			if (i && !strcmp(qemu_data[i].file, qemu_data[i - 1].file))
				continue;
			text = vmm_data(qemu_data[i].file);
			cfg = parse_or_fail(text, rules[p], KSR_CONFIG_FORMAT_AUTO);
			assert_int_equal(ksr_config_from_defaults(rules[p], &expected), 0);
			for (size_t j = i; j < NR(qemu_data) && !strcmp(qemu_data[j].file, qemu_data[i].file); j++) {
				const struct ksr_reg *reg = ksr_rules_find_reg(rules[p], qemu_data[j].reg);
				uint64_t v;

				assert_int_equal(ksr_config_find_id(expected, reg->id, &v), 0);
				v = with_field(ksr_reg_find_field(reg, qemu_data[j].field), v, qemu_data[j].value);
				assert_int_equal(ksr_config_set_id(expected, reg->id, v), 0);
			}
			if (!config_same(cfg, expected))
				fail_msg("%s on %s: not the fields it names over the defaults",
					 qemu_data[i].file, g.gl_pathv[p]);
			assert_int_equal(ksr_config_kept(cfg, 0, &key, &kept), 0);
			assert_string_equal(key, "cpu");
			assert_string_equal(kept, "host");
			ksr_config_free(expected);
			ksr_config_free(cfg);
			free(text);
		}
	}
	free_all(rules, n, &g);
}

/*
 * Every template and property list of data/vmm on every fixture: detected
 * as its directory says, the same configuration read named or detected,
 * and written back in its own format, read again, the same configuration
 * with the same kept parts.
 */
static void test_vmm_data_round_trips(void **state)
{
	static const struct { const char *pattern; enum ksr_config_format format; } dirs[] = {
		{ "firecracker/*.json", KSR_CONFIG_FORMAT_FIRECRACKER },
		{ "qemu/*.txt", KSR_CONFIG_FORMAT_QEMU },
		{ "qemu/*.lines", KSR_CONFIG_FORMAT_QEMU_LINES },
	};
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t d = 0; d < NR(dirs); d++) {
		enum ksr_config_format fmt = dirs[d].format;
		char pattern[512];
		glob_t files;

		snprintf(pattern, sizeof(pattern), "%s/%s", KSR_VMM_DATA, dirs[d].pattern);
		assert_int_equal(glob(pattern, 0, NULL, &files), 0);
		for (size_t f = 0; f < files.gl_pathc; f++) {
			size_t len;
			char *text = slurp(files.gl_pathv[f], &len);

			assert_int_equal(ksr_config_detect_format(text, len),
					 fmt == KSR_CONFIG_FORMAT_QEMU_LINES ||
					 fmt == KSR_CONFIG_FORMAT_QEMU ? qemu_form(text) : fmt);
			for (size_t p = 0; p < n; p++) {
				struct ksr_config *cfg = parse_or_fail(text, rules[p], fmt);
				struct ksr_config *detected = parse_or_fail(text, rules[p], KSR_CONFIG_FORMAT_AUTO);
				char *out = must_write(cfg, rules[p], fmt, 0);
				struct ksr_config *again = parse_or_fail(out, rules[p], fmt);
				const char *k1, *t1, *k2, *t2;
				unsigned int i = 0;

				if (!config_same(cfg, detected) || !config_same(cfg, again))
					fail_msg("%s on %s: not the same configuration:\n%s",
						 files.gl_pathv[f], g.gl_pathv[p], out);
				for (; !ksr_config_kept(cfg, i, &k1, &t1); i++) {
					assert_int_equal(ksr_config_kept(again, i, &k2, &t2), 0);
					assert_string_equal(k1, k2);
					assert_string_equal(t1, t2);
				}
				assert_int_equal(ksr_config_kept(again, i, &k2, &t2), -ERANGE);
				free(out);
				ksr_config_free(again);
				ksr_config_free(detected);
				ksr_config_free(cfg);
			}
			free(text);
		}
		globfree(&files);
	}
	free_all(rules, n, &g);
}

/* ---- QEMU named models --------------------------------------------------- */

/* The QEMU models of our fixtures: their property list, every field, by the writer. */
static const char *const qemu_models[] = {
	"cortex-a53", "cortex-a57", "cortex-a72", "cortex-a76", "neoverse-n1", "a64fx",
};

static char *model_properties(const char *name)
{
	struct ksr_rules *rules = model(name);
	struct ksr_config *cfg;
	char *text;

	assert_int_equal(ksr_config_from_defaults(rules, &cfg), 0);
	text = must_write(cfg, rules, KSR_CONFIG_FORMAT_QEMU, KSR_CONFIG_EVERY_FIELD);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
	return text;
}

/*
 * The outcomes (ksr_check(), the predictor the guest differential checks
 * against KVM): a list that names an AArch32 field is no list for a64fx,
 * which has none; a57 on a72 and a76 on neoverse-n1 are accepted.
 */
static const struct { const char *model, *profile, *outcome; } qemu_outcomes[] = {
	{ "cortex-a53", "a64fx", "SYSREG_ID_PFR0_EL1_DIT: no such field of ID_PFR0_EL1" },
	{ "cortex-a53", "cortex-a53", "ok" },
	{ "cortex-a53", "cortex-a57", "refused: ID_AA64PFR0_EL1.CSV2" },
	{ "cortex-a53", "cortex-a72", "refused: ID_AA64PFR0_EL1.CSV2" },
	{ "cortex-a53", "cortex-a76", "refused: ID_PFR1_EL1.Virtualization" },
	{ "cortex-a53", "max", "refused: ID_AA64PFR0_EL1.RAS" },
	{ "cortex-a53", "neoverse-n1", "refused: ID_PFR1_EL1.Virtualization" },
	{ "cortex-a57", "a64fx", "SYSREG_ID_PFR0_EL1_DIT: no such field of ID_PFR0_EL1" },
	{ "cortex-a57", "cortex-a53", "refused: ID_AA64MMFR0_EL1.PARANGE" },
	{ "cortex-a57", "cortex-a57", "ok" },
	{ "cortex-a57", "cortex-a72", "ok" },
	{ "cortex-a57", "cortex-a76", "refused: ID_PFR1_EL1.Virtualization" },
	{ "cortex-a57", "max", "refused: ID_AA64PFR0_EL1.RAS" },
	{ "cortex-a57", "neoverse-n1", "refused: ID_PFR1_EL1.Virtualization" },
	{ "cortex-a72", "a64fx", "SYSREG_ID_PFR0_EL1_DIT: no such field of ID_PFR0_EL1" },
	{ "cortex-a72", "cortex-a53", "refused: ID_MMFR0_EL1.AuxReg" },
	{ "cortex-a72", "cortex-a57", "refused: ID_MMFR0_EL1.AuxReg" },
	{ "cortex-a72", "cortex-a72", "ok" },
	{ "cortex-a72", "cortex-a76", "refused: ID_PFR1_EL1.Virtualization" },
	{ "cortex-a72", "max", "refused: ID_MMFR0_EL1.AuxReg" },
	{ "cortex-a72", "neoverse-n1", "refused: ID_PFR1_EL1.Virtualization" },
	{ "cortex-a76", "a64fx", "SYSREG_ID_PFR0_EL1_DIT: no such field of ID_PFR0_EL1" },
	{ "cortex-a76", "cortex-a53", "refused: ID_PFR0_EL1.CSV2" },
	{ "cortex-a76", "cortex-a57", "refused: ID_PFR0_EL1.CSV2" },
	{ "cortex-a76", "cortex-a72", "refused: ID_PFR0_EL1.CSV2" },
	{ "cortex-a76", "cortex-a76", "ok" },
	{ "cortex-a76", "max", "refused: ID_MMFR0_EL1.AuxReg" },
	{ "cortex-a76", "neoverse-n1", "ok" },
	{ "neoverse-n1", "a64fx", "SYSREG_ID_PFR0_EL1_DIT: no such field of ID_PFR0_EL1" },
	{ "neoverse-n1", "cortex-a53", "refused: ID_PFR0_EL1.CSV2" },
	{ "neoverse-n1", "cortex-a57", "refused: ID_PFR0_EL1.CSV2" },
	{ "neoverse-n1", "cortex-a72", "refused: ID_PFR0_EL1.CSV2" },
	{ "neoverse-n1", "cortex-a76", "refused: ID_AA64PFR1_EL1.SSBS" },
	{ "neoverse-n1", "max", "refused: ID_MMFR0_EL1.AuxReg" },
	{ "neoverse-n1", "neoverse-n1", "ok" },
	{ "a64fx", "a64fx", "ok" },
	{ "a64fx", "cortex-a53", "refused: ID_AA64PFR0_EL1.AdvSIMD" },
	{ "a64fx", "cortex-a57", "refused: ID_AA64PFR0_EL1.AdvSIMD" },
	{ "a64fx", "cortex-a72", "refused: ID_AA64PFR0_EL1.AdvSIMD" },
	{ "a64fx", "cortex-a76", "refused: ID_AA64PFR0_EL1.RAS" },
	{ "a64fx", "max", "refused: ID_AA64PFR0_EL1.RAS" },
	{ "a64fx", "neoverse-n1", "refused: ID_AA64PFR0_EL1.RAS" },
};

/* A model's list on a profile: "ok", "refused: REG.FIELD" or the reader's error. */
static void outcome(const char *props, const struct ksr_rules *rules, char *out, size_t len)
{
	struct ksr_config *cfg = NULL;
	const char *key, *text;
	char err[512], bad[128];

	if (ksr_config_parse_format(props, strlen(props), "t", rules, KSR_CONFIG_FORMAT_AUTO, &cfg,
				    err, sizeof(err))) {
		snprintf(out, len, "%s", err + 3);
		return;
	}
	assert_int_equal(ksr_config_kept(cfg, 0, &key, &text), 0);
	assert_string_equal(key, "cpu");
	assert_string_equal(text, "host");
	if (check_ok(rules, cfg, bad, sizeof(bad)))
		snprintf(out, len, "ok");
	else
		snprintf(out, len, "refused: %s", bad);
	ksr_config_free(cfg);
}

/* The outcome of model on the profile file ("max.json") is the table's; 1. */
static int expect_outcome(const char *model, const char *file, const char *got)
{
	for (size_t i = 0; i < NR(qemu_outcomes); i++) {
		size_t n = strlen(qemu_outcomes[i].profile);

		if (strcmp(qemu_outcomes[i].model, model) || strncmp(file, qemu_outcomes[i].profile, n) ||
		    strcmp(file + n, ".json"))
			continue;
		if (strcmp(got, qemu_outcomes[i].outcome))
			fail_msg("%s on %s: %s, not %s", model, file, got, qemu_outcomes[i].outcome);
		return 1;
	}
	fail_msg("%s on %s: not in the table", model, file);
	return 0;
}

/*
 * Each model's list on each of the 7 profiles: on its own profile exactly
 * the defaults, and accepted; elsewhere the outcome the predictor gives.
 */
static void test_qemu_models_on_every_profile(void **state)
{
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g), checked = 0;

	(void)state;
	for (size_t m = 0; m < NR(qemu_models); m++) {
		char *props = model_properties(qemu_models[m]);
		char host[strlen(props) + 8];

		snprintf(host, sizeof(host), "host,%s", props);
		for (size_t p = 0; p < n; p++) {
			const char *file = strrchr(g.gl_pathv[p], '/') + 1;
			char got[512];

			outcome(host, rules[p], got, sizeof(got));
			checked += expect_outcome(qemu_models[m], file, got);
			if (!strncmp(file, qemu_models[m], strlen(qemu_models[m])) &&
			    !strcmp(file + strlen(qemu_models[m]), ".json")) {
				struct ksr_config *cfg = parse_or_fail(host, rules[p], KSR_CONFIG_FORMAT_AUTO), *defaults;

				assert_string_equal(got, "ok");
				assert_int_equal(ksr_config_from_defaults(rules[p], &defaults), 0);
				assert_true(config_same(cfg, defaults));
				ksr_config_free(defaults);
				ksr_config_free(cfg);
			}
		}
		free(props);
	}
	assert_int_equal(checked, NR(qemu_outcomes));
	free_all(rules, n, &g);
}

/* ---- errors ------------------------------------------------------------- */

struct bad_input {
	enum ksr_config_format format;
	const char *text;
	const char *err;	/* the whole message */
};

/* Our own formats' (the VMMs' are files: userspace/tests/data/vmm/bad). */
static const struct bad_input bad_inputs[] = {
	{ KSR_CONFIG_FORMAT_LINES, "ID_AA64PFR0_EL1 zz", "t:1: 'zz' is not a 64-bit hex value" },
	{ KSR_CONFIG_FORMAT_JSON, "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": [{\"name\": \"NO_EL1\", \"value\": \"0x1\"}]}",
	  "t: registers[0].name: unknown register \"NO_EL1\"" },
	{ KSR_CONFIG_FORMAT_JSON, "ID_AA64PFR0_EL1 0", NULL },	/* named JSON, is not */
	{ 99, "", "t: unknown format 99" },
};

/* One line naming the place, -EINVAL, for each bad input (the sanitized build: no crash). */
static void test_errors_name_the_place(void **state)
{
	struct ksr_rules *rules = model("max");

	(void)state;
	for (size_t i = 0; i < NR(bad_inputs); i++) {
		const struct bad_input *b = &bad_inputs[i];
		struct ksr_config *cfg = NULL;
		char err[512] = "";
		int ret = ksr_config_parse_format(b->text, strlen(b->text), "t", rules, b->format,
						  &cfg, err, sizeof(err));

		if (ret != -EINVAL)
			fail_msg("%zu: %s: %d", i, b->text, ret);
		assert_null(cfg);
		assert_null(strchr(err, '\n'));
		if (b->err && strcmp(err, b->err))
			fail_msg("%zu: got '%s'\n    wanted '%s'", i, err, b->err);
		if (!b->err)
			assert_true(!strncmp(err, "t: ", 3));
	}
	ksr_rules_free(rules);
}

/*
 * The bad inputs of the VMMs' formats, bad/FORMAT/NAME.* with the line
 * expected in NAME.err (after "FILE: "): -EINVAL and exactly that line, on
 * every fixture, in every format directory.
 */
static void test_vmm_bad_inputs(void **state)
{
	static const enum ksr_config_format formats[] = {
		KSR_CONFIG_FORMAT_FIRECRACKER, KSR_CONFIG_FORMAT_QEMU, KSR_CONFIG_FORMAT_QEMU_LINES,
	};
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t k = 0; k < NR(formats); k++) {
		char pattern[512];
		glob_t errs;

		snprintf(pattern, sizeof(pattern), "%s/bad/%s/*.err", KSR_VMM_DATA,
			 ksr_config_format_name(formats[k]));
		assert_int_equal(glob(pattern, 0, NULL, &errs), 0);
		for (size_t e = 0; e < errs.gl_pathc; e++) {
			char *path = input_of(errs.gl_pathv[e]), *want = vmm_expected(errs.gl_pathv[e]);

			for (size_t p = 0; p < n; p++) {
				struct ksr_config *cfg = NULL;
				char err[1024] = "", line[1024];
				int ret = ksr_config_load_format(path, rules[p], formats[k], &cfg, err,
								 sizeof(err));

				snprintf(line, sizeof(line), "%s: %s", path, want);
				if (ret != -EINVAL || strcmp(err, line))
					fail_msg("%s on %s: %d '%s'\n    wanted -EINVAL '%s'", path,
						 g.gl_pathv[p], ret, err, line);
				assert_null(cfg);
			}
			free(want);
			free(path);
		}
		globfree(&errs);
	}
	free_all(rules, n, &g);
}

/* The VMMs' formats need rules; QEMU cannot say a firmware register nor unnamed bits. */
static void test_what_a_format_cannot_say(void **state)
{
	struct ksr_rules *rules = model("max");
	struct ksr_config *cfg = NULL;
	char err[512] = "", *text;
	const struct ksr_reg *pfr0 = ksr_rules_find_reg(rules, "ID_AA64PFR0_EL1");
	int ret;

	(void)state;
	assert_int_equal(ksr_config_parse_format("SYSREG_ID_AA64PFR0_EL1_SVE=0", 28, "t", NULL,
						 KSR_CONFIG_FORMAT_AUTO, &cfg, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t: a qemu-lines configuration is read over the rules' defaults: no rules given");
	assert_null(cfg);
	cfg = changed(rules, true);
	text = write_fmt(cfg, rules, KSR_CONFIG_FORMAT_QEMU, 0, &ret, err, sizeof(err));
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(text, "");	/* nothing written */
	assert_non_null(strstr(err, ": a firmware register: no SYSREG_ property says it"));
	free(text);
	ksr_config_free(cfg);
	assert_int_equal(ksr_config_from_defaults(rules, &cfg), 0);
	assert_int_equal(ksr_config_set_id(cfg, pfr0->id, pfr0->limit ^ pfr0->unfielded_mask), 0);
	text = write_fmt(cfg, rules, KSR_CONFIG_FORMAT_QEMU_LINES, 0, &ret, err, sizeof(err));
	if (pfr0->unfielded_mask) {
		assert_int_equal(ret, -EINVAL);
		assert_non_null(strstr(err, "ID_AA64PFR0_EL1: bits 0x"));
	}
	free(text);
	text = write_fmt(cfg, NULL, KSR_CONFIG_FORMAT_QEMU, 0, &ret, err, sizeof(err));
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(err, "SYSREG_ properties need the rules' register and field names");
	free(text);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

/* Names and detection. */
static void test_format_names(void **state)
{
	static const struct { const char *text; enum ksr_config_format f; } detect[] = {
		{ "  {\"reg_modifiers\": []}", KSR_CONFIG_FORMAT_FIRECRACKER },
		{ "{\"kvm_capabilities\": []}", KSR_CONFIG_FORMAT_FIRECRACKER },
		{ "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": []}", KSR_CONFIG_FORMAT_JSON },
		{ "{ not json", KSR_CONFIG_FORMAT_JSON },
		{ "host,SYSREG_ID_AA64ISAR0_EL1_AES=0", KSR_CONFIG_FORMAT_QEMU },
		{ "ID_AA64ISAR0_EL1 0x0", KSR_CONFIG_FORMAT_LINES },
		/* a comment naming a property does not make lines QEMU's */
		{ "# not SYSREG_ID_AA64ISAR0_EL1_AES\nID_AA64ISAR0_EL1 0x0 # nor SYSREG_X",
		  KSR_CONFIG_FORMAT_LINES },
		{ "host\n# the model first\nSYSREG_ID_AA64ISAR0_EL1_AES=0\n", KSR_CONFIG_FORMAT_QEMU_LINES },
		{ "", KSR_CONFIG_FORMAT_LINES },
	};
	enum ksr_config_format f;

	(void)state;
	for (int i = KSR_CONFIG_FORMAT_AUTO; i <= KSR_CONFIG_FORMAT_QEMU_LINES; i++) {
		assert_int_equal(ksr_config_format_from_name(ksr_config_format_name(i), &f), 0);
		assert_int_equal(f, i);
	}
	assert_null(ksr_config_format_name(99));
	assert_int_equal(ksr_config_format_from_name("Firecracker", &f), -EINVAL);
	for (size_t i = 0; i < NR(detect); i++)
		assert_int_equal(ksr_config_detect_format(detect[i].text, strlen(detect[i].text)), detect[i].f);
}

/* Other QEMU properties and the model are kept and written back, in both QEMU forms. */
static void test_qemu_kept(void **state)
{
	struct ksr_rules *rules = model("max");
	struct ksr_config *cfg = parse_or_fail(" host , sve=off,SYSREG_ID_AA64ISAR0_EL1_AES = 0x0 ,pmu=on ",
				       rules, KSR_CONFIG_FORMAT_QEMU), *again;
	char *text = must_write(cfg, rules, KSR_CONFIG_FORMAT_QEMU, 0);

	(void)state;
	assert_string_equal(text, "host,sve=off,pmu=on,SYSREG_ID_AA64ISAR0_EL1_AES=0x0\n");
	free(text);
	text = must_write(cfg, rules, KSR_CONFIG_FORMAT_QEMU_LINES, 0);
	assert_string_equal(text, "host\nsve=off\npmu=on\nSYSREG_ID_AA64ISAR0_EL1_AES=0x0\n");
	again = parse_or_fail(text, rules, KSR_CONFIG_FORMAT_AUTO);
	assert_true(config_same(cfg, again));
	free(text);
	ksr_config_free(again);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

/* Saved as a file in a format; what the format cannot say leaves the file alone. */
static void test_save_load_format(void **state)
{
	struct ksr_rules *rules = model("max");
	struct ksr_config *cfg = changed(rules, true), *again = NULL;
	char path[] = "/tmp/ksr-formats-XXXXXX", err[512];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ksr_config_save_format(cfg, rules, path, KSR_CONFIG_FORMAT_FIRECRACKER, 0,
						err, sizeof(err)), 0);
	assert_int_equal(ksr_config_load_format(path, rules, KSR_CONFIG_FORMAT_FIRECRACKER, &again,
						err, sizeof(err)), 0);
	assert_true(config_same(cfg, again));
	ksr_config_free(again);
	assert_int_equal(ksr_config_save_format(cfg, rules, path, KSR_CONFIG_FORMAT_QEMU, 0,
						err, sizeof(err)), -EINVAL);
	/* still the template; ksr_config_load() reads only our own forms */
	assert_int_equal(ksr_config_load_format(path, rules, KSR_CONFIG_FORMAT_AUTO, &again, err,
						sizeof(err)), 0);
	assert_true(config_same(cfg, again));
	ksr_config_free(again);
	assert_int_equal(ksr_config_load(path, rules, &again, err, sizeof(err)), -EINVAL);
	unlink(path);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_every_format),
		cmocka_unit_test(test_write_only_changes),
		cmocka_unit_test(test_fc_noop),
		cmocka_unit_test(test_fc_hide_sve_pauth),
		cmocka_unit_test(test_fc_field_the_host_lacks),
		cmocka_unit_test(test_fc_documented_example),
		cmocka_unit_test(test_fc_helper_dump),
		cmocka_unit_test(test_qemu_data),
		cmocka_unit_test(test_vmm_data_round_trips),
		cmocka_unit_test(test_qemu_models_on_every_profile),
		cmocka_unit_test(test_errors_name_the_place),
		cmocka_unit_test(test_vmm_bad_inputs),
		cmocka_unit_test(test_what_a_format_cannot_say),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_qemu_kept),
		cmocka_unit_test(test_save_load_format),
	};

	return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
