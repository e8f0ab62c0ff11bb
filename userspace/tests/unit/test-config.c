// SPDX-License-Identifier: GPL-2.0
/*
 * Configurations: the set itself, defaults, lines and JSON both ways for
 * every fixture, saving all or nothing, and every promised error with the
 * line or the JSON path.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

static void test_set_find_entry(void **state)
{
	struct ksr_config *cfg;
	struct ksr_encoding a = { 3, 0, 0, 4, 0 }, b = { 3, 0, 0, 1, 0 }, e;
	uint64_t v;

	(void)state;
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_nr(cfg), 0);
	assert_int_equal(ksr_config_find(cfg, a, &v), -ENOENT);
	assert_int_equal(ksr_config_set(cfg, a, 1), 0);
	assert_int_equal(ksr_config_set(cfg, b, 2), 0);
	assert_int_equal(ksr_config_set(cfg, a, 3), 0);	/* replaces */
	assert_int_equal(ksr_config_nr(cfg), 2);
	assert_int_equal(ksr_config_entry(cfg, 0, &e, &v), 0);	/* encoding order */
	assert_int_equal(e.crm, 1);
	assert_int_equal(v, 2);
	assert_int_equal(ksr_config_entry(cfg, 1, &e, &v), 0);
	assert_int_equal(e.crm, 4);
	assert_int_equal(v, 3);
	assert_int_equal(ksr_config_entry(cfg, 2, &e, &v), -ERANGE);
	assert_int_equal(ksr_config_find(cfg, b, &v), 0);
	assert_int_equal(v, 2);
	ksr_config_free(cfg);
	ksr_config_free(NULL);
}

/* Written and read again: lines (names, encodings), JSON, with and without rules. */
static void test_roundtrip(void **state)
{
	static const struct { unsigned int flags; bool rules; } ways[] = {
		{ 0, true }, { 0, false }, { KSR_CONFIG_BY_ENCODING, false },
		{ KSR_CONFIG_JSON, true }, { KSR_CONFIG_JSON, false },
	};
	struct ksr_rules *rules[8];
	glob_t g;
	size_t n = load_all(rules, &g);

	(void)state;
	for (size_t p = 0; p < n; p++) {
		struct ksr_config *cfg;

		assert_int_equal(ksr_config_from_defaults(rules[p], &cfg), 0);
		assert_int_equal(ksr_config_nr(cfg), rules[p]->nr_regs);
		for (unsigned int i = 0; i < rules[p]->nr_regs; i++) {
			uint64_t v;

			assert_int_equal(ksr_config_find_id(cfg, ksr_reg_id(&rules[p]->regs[i]), &v), 0);
			assert_int_equal(v, rules[p]->regs[i].limit);
		}
		for (size_t w = 0; w < sizeof(ways) / sizeof(ways[0]); w++) {
			const struct ksr_rules *r = ways[w].rules ? rules[p] : NULL;
			struct ksr_config *again = NULL;
			char *buf = NULL, err[256];
			size_t len = 0;
			FILE *f = open_memstream(&buf, &len);

			assert_int_equal(ksr_config_write(cfg, r, f, ways[w].flags), 0);
			fclose(f);
			if (ksr_config_parse(buf, len, "mem", r, &again, err, sizeof(err)))
				fail_msg("%s", err);
			assert_true(config_same(cfg, again));
			if (!ways[w].flags && ways[w].rules)
				assert_non_null(strstr(buf, "ID_AA64PFR0_EL1 0x"));
			/* A firmware register by name, or by id where ID registers go by encoding. */
			if (!ways[w].flags)
				assert_non_null(strstr(buf, "\nKVM_REG_ARM_PSCI_VERSION 0x"));
			if (ways[w].flags & KSR_CONFIG_BY_ENCODING) {
				assert_non_null(strstr(buf, "3,0,0,4,0 0x"));
				assert_non_null(strstr(buf, "\n0x6030000000140000 0x"));
			}
			if (ways[w].flags & KSR_CONFIG_JSON)
				assert_non_null(strstr(buf, "kvm-safe-rules-config/v1"));
			free(buf);
			ksr_config_free(again);
		}
		ksr_config_free(cfg);
	}
	free_all(rules, n, &g);
}

static void test_save_load(void **state)
{
	struct ksr_rules *rules = model("max");
	struct ksr_config *cfg, *again;
	char dir[] = "/tmp/ksr-config-XXXXXX", path[96], err[256];
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ksr_config_from_defaults(rules, &cfg), 0);
	snprintf(path, sizeof(path), "%s/c.json", dir);
	assert_int_equal(ksr_config_save(cfg, rules, path, KSR_CONFIG_JSON, err, sizeof(err)), 0);
	assert_int_equal(ksr_config_load(path, NULL, &again, err, sizeof(err)), 0);
	assert_true(config_same(cfg, again));
	ksr_config_free(again);
	unlink(path);
	/* A directory that does not exist: an error, no file. */
	snprintf(path, sizeof(path), "%s/no/c.txt", dir);
	assert_int_not_equal(ksr_config_save(cfg, rules, path, 0, err, sizeof(err)), 0);
	assert_non_null(strstr(err, path));
	assert_int_not_equal(stat(path, &st), 0);
	assert_int_equal(ksr_config_load("/nonexistent/c.txt", rules, &again, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/c.txt"));
	rmdir(dir);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/*
 * Saving over a file keeps its mode (0600 stays 0600, whatever the umask);
 * a file of several hard links is refused, untouched, the links kept.
 */
static void test_save_mode_and_links(void **state)
{
	struct ksr_rules *rules = model("max");
	struct ksr_config *cfg;
	char dir[] = "/tmp/ksr-save-XXXXXX", path[96], other[96], err[512], buf[16];
	struct stat a, b;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ksr_config_from_defaults(rules, &cfg), 0);
	snprintf(path, sizeof(path), "%s/c.txt", dir);
	snprintf(other, sizeof(other), "%s/other.txt", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("old\n", f);
	fclose(f);
	for (mode_t m = 0600; m; m = m == 0600 ? 0640 : m == 0640 ? 0604 : 0) {
		assert_int_equal(chmod(path, m), 0);
		if (ksr_config_save(cfg, rules, path, 0, err, sizeof(err)))
			fail_msg("%s", err);
		assert_int_equal(mode_of(path), m);
		assert_int_equal(ksr_profile_save(rules, path, err, sizeof(err)), 0);
		assert_int_equal(mode_of(path), m);
	}
	/* Two names of one file: refused for both kinds, nothing changed. */
	assert_int_equal(link(path, other), 0);
	assert_int_equal(stat(path, &a), 0);
	assert_int_equal(ksr_config_save(cfg, rules, path, 0, err, sizeof(err)), -EMLINK);
	print_message("# %s\n", err);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "has 2 hard links"));
	assert_int_equal(ksr_profile_save(rules, other, err, sizeof(err)), -EMLINK);
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_int_equal(b.st_nlink, 2);
	assert_true(a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec);
	f = fopen(other, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "{\n");	/* the profile saved before the link */
	/* One name again: saved. */
	assert_int_equal(unlink(other), 0);
	assert_int_equal(ksr_config_save(cfg, rules, path, 0, err, sizeof(err)), 0);
	unlink(path);
	rmdir(dir);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

/* Lines: REG VALUE, REG=VALUE, comments, blank lines, encodings, generic names. */
static void test_lines(void **state)
{
	struct ksr_rules *rules = model("max");
	const char *text = "# a comment\n\nID_AA64PFR0_EL1 0x11\nID_AA64ISAR0_EL1=22  # trailing\n"
			   "  3,0,0,7,0   0X33\nS3_0_C0_C3_3 0\n";
	struct ksr_config *cfg;
	char err[256];
	uint64_t v;

	(void)state;
	if (ksr_config_parse(text, strlen(text), "t", rules, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(ksr_config_nr(cfg), 4);
	assert_int_equal(ksr_config_find(cfg, (struct ksr_encoding){ 3, 0, 0, 4, 0 }, &v), 0);
	assert_int_equal(v, 0x11);
	assert_int_equal(ksr_config_find(cfg, (struct ksr_encoding){ 3, 0, 0, 6, 0 }, &v), 0);
	assert_int_equal(v, 0x22);
	assert_int_equal(ksr_config_find(cfg, (struct ksr_encoding){ 3, 0, 0, 7, 0 }, &v), 0);
	assert_int_equal(v, 0x33);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

static const struct {
	const char *what, *text, *message;
	bool rules;
} bad[] = {
	{ "bad line", "ID_AA64PFR0_EL1 0\n\nID_AA64PFR0_EL1\n", "t:3: expected 'REG VALUE' or 'REG=VALUE'", true },
	{ "extra word", "ID_AA64PFR0_EL1 0 1\n", "t:1: expected", true },
	{ "unknown register", "\nNO_SUCH_EL1 0\n", "t:2: unknown register 'NO_SUCH_EL1'", true },
	{ "name without rules", "ID_AA64PFR0_EL1 0\n", "t:1: unknown register 'ID_AA64PFR0_EL1'", false },
	{ "encoding out of range", "3,8,0,0,0 0\n", "t:1: unknown register '3,8,0,0,0'", true },
	{ "encoding that wraps", "3,0,0,4,4294967297=0\n", "t:1: unknown register '3,0,0,4,4294967297'", true },
	{ "encoding that wraps, no rules", "3,0,0,4,4294967297 0\n", "t:1: unknown register", false },
	{ "encoding of many digits", "3,0,0,4,18446744073709551617 0\n", "t:1: unknown register", true },
	{ "generic name that wraps", "S3_0_C0_C4_4294967297 0\n", "t:1: unknown register 'S3_0_C0_C4_4294967297'", true },
	{ "generic name that wraps, no rules", "S3_4294967296_C0_C4_1 0\n", "t:1: unknown register", false },
	{ "encoding with a sign", "3,0,0,+4,1 0\n", "t:1: unknown register", true },
	{ "encoding with a blank", "3,0,0,4,1\t,1 0\n", "t:1: expected", true },
	{ "bad value", "ID_AA64PFR0_EL1 zz\n", "t:1: 'zz' is not a 64-bit hex value", true },
	{ "value too long", "ID_AA64PFR0_EL1 0x10000000000000000\n", "is not a 64-bit hex value", true },
	{ "negative value", "ID_AA64PFR0_EL1 -1\n", "is not a 64-bit hex value", true },
	{ "duplicate line", "ID_AA64PFR0_EL1 0\n3,0,0,4,0 1\n", "t:2: register '3,0,0,4,0' is given twice", true },
	{ "not JSON", "{ \"schema\": ", "t: line 1, column", true },
	{ "JSON schema", "{\"schema\": \"kvm-safe-rules/v1\", \"registers\": []}",
	  "t: schema: unknown schema \"kvm-safe-rules/v1\"", true },
	{ "JSON no registers", "{\"schema\": \"kvm-safe-rules-config/v1\"}", "t: registers: missing", true },
	{ "JSON registers type", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": {}}",
	  "t: registers: must be an array, not an object", true },
	{ "JSON entry type", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": [1]}",
	  "t: registers[0]: must be an object, not an integer", true },
	{ "JSON no value", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"name\": \"ID_AA64PFR0_EL1\"}]}", "t: registers[0].value: missing", true },
	{ "JSON bad value", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"name\": \"ID_AA64PFR0_EL1\", \"value\": \"12\"}]}", "t: registers[0].value: must be a hex string", true },
	{ "JSON no name or encoding", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"value\": \"0x0\"}]}", "t: registers[0]: needs \"name\", \"encoding\" or \"id\"", true },
	{ "JSON bad encoding", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"encoding\": [3, 0, 0, 16, 0], \"value\": \"0x0\"}]}", "t: registers[0].encoding[3]: CRm must be", true },
	{ "JSON unknown name", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"name\": \"NO_SUCH\", \"value\": \"0x0\"}]}", "t: registers[0].name: unknown register \"NO_SUCH\"", true },
	{ "JSON name and encoding differ", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"name\": \"ID_AA64PFR0_EL1\", \"encoding\": [3, 0, 0, 4, 1], \"value\": \"0x0\"}]}",
	  "t: registers[0].name: \"ID_AA64PFR0_EL1\" is 3,0,0,4,0, not the encoding given", true },
	{ "JSON name that wraps", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"name\": \"3,0,0,4,4294967297\", \"value\": \"0x0\"}]}", "t: registers[0].name: ", true },
	{ "JSON name that wraps, with the encoding", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"name\": \"S3_0_C0_C4_4294967297\", \"encoding\": [3, 0, 0, 4, 1], \"value\": \"0x0\"}]}",
	  "t: registers[0].name: \"S3_0_C0_C4_4294967297\": a number out of range", true },
	{ "JSON duplicate key", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"name\": \"ID_AA64PFR0_EL1\", \"value\": \"0x0\", \"value\": \"0x1\"}]}",
	  "t: line 1, column 98: not JSON: duplicate key \"value\"", true },
	{ "JSON single quotes", "{'schema': 'kvm-safe-rules-config/v1', 'registers': []}",
	  "t: line 1, column 2: not JSON", true },
	{ "JSON trailing comma", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": [],}",
	  "t: line 1, column 56: not JSON", true },
	{ "JSON duplicate", "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": "
	  "[{\"name\": \"ID_AA64PFR0_EL1\", \"value\": \"0x0\"}, {\"encoding\": [3, 0, 0, 4, 0], \"value\": \"0x1\"}]}",
	  "t: registers[1]: duplicate register 3,0,0,4,0", true },
};

static void test_errors(void **state)
{
	struct ksr_rules *rules = model("max");

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ksr_config *cfg = NULL;
		char err[256] = "";
		int ret = ksr_config_parse(bad[i].text, strlen(bad[i].text), "t",
					   bad[i].rules ? rules : NULL, &cfg, err, sizeof(err));

		if (ret != -EINVAL || !strstr(err, bad[i].message))
			fail_msg("%s: %d \"%s\", wanted \"%s\"", bad[i].what, ret, err, bad[i].message);
		assert_null(cfg);
	}
	/* A NUL byte; a NULL message buffer. */
	struct ksr_config *cfg = NULL;
	char err[128];

	assert_int_equal(ksr_config_parse("A 0\0", 4, "t", rules, &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "NUL"));
	assert_int_equal(ksr_config_parse("A 0", 3, "t", rules, &cfg, NULL, 0), -EINVAL);
	ksr_rules_free(rules);
}

/* Every parser of a register's name or encoding refuses numbers out of range. */
static void test_encodings_do_not_wrap(void **state)
{
	static const char *const bad_names[] = {
		"3,0,0,4,4294967297", "4294967299,0,0,4,1", "3,0,0,4,8", "3,0,0,16,1", "3,8,0,4,1",
		"S3_0_C0_C4_4294967297", "S3_0_C0_C20_1", "S4_0_C0_C4_1", "3,0,0,4,1 ", " 3,0,0,4,1",
		"+3,0,0,4,1", "3,0,0,4,-1", "3,0,0,4,0x1", "3,0,0,4", "3,0,0,4,1,0", "S3_0_C0_C4_",
		"s3_0_c0_c4_1", "",
	};
	struct ksr_rules *rules = model("max");
	const struct ksr_reg *pfr1 = ksr_rules_find_reg(rules, "ID_AA64PFR1_EL1");
	struct ksr_encoding enc;

	(void)state;
	assert_non_null(pfr1);
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		if (ksr_rules_find_reg(rules, bad_names[i]))
			fail_msg("\"%s\" found a register", bad_names[i]);
		if (!ksr_parse_encoding(bad_names[i], &enc))
			fail_msg("\"%s\" parsed as an encoding", bad_names[i]);
	}
	assert_int_equal(ksr_parse_encoding("3,0,0,4,4294967297", &enc), -ERANGE);
	assert_int_equal(ksr_parse_encoding("S3_0_C0_C4_99999999999999999999999", &enc), -ERANGE);
	assert_int_equal(ksr_parse_encoding("ID_AA64PFR1_EL1", &enc), -ENOENT);
	/* In range: the encoding and the generic name, even of a named register. */
	assert_ptr_equal(ksr_rules_find_reg(rules, "3,0,0,4,1"), pfr1);
	assert_ptr_equal(ksr_rules_find_reg(rules, "S3_0_C0_C4_1"), pfr1);
	assert_ptr_equal(ksr_rules_find_reg(rules, "03,0,0,04,1"), pfr1);
	assert_int_equal(ksr_parse_encoding("S3_7_C15_C15_7", &enc), 0);
	assert_int_equal(enc.op1 + enc.crn + enc.crm + enc.op2, 7 + 15 + 15 + 7);
	ksr_rules_free(rules);
}

/* ksr_config_set() and ksr_config_find() refuse fields out of range: no aliasing. */
static void test_set_validates(void **state)
{
	static const struct ksr_encoding bad_enc[] = {
		{ 3, 0, 0, 0, 16 }, { 3, 0, 0, 16, 0 }, { 3, 0, 16, 0, 0 }, { 3, 8, 0, 0, 0 },
		{ 4, 0, 0, 0, 0 }, { 255, 255, 255, 255, 255 }, { 3, 0, 0, 0, 8 },
	};
	struct ksr_encoding pfr0 = { 3, 0, 0, 1, 0 };
	struct ksr_config *cfg;
	uint64_t v;

	(void)state;
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_set(cfg, pfr0, 0x11), 0);
	for (size_t i = 0; i < sizeof(bad_enc) / sizeof(bad_enc[0]); i++) {
		assert_int_equal(ksr_config_set(cfg, bad_enc[i], 0x99), -EINVAL);
		assert_int_equal(ksr_config_find(cfg, bad_enc[i], &v), -ENOENT);
	}
	assert_int_equal(ksr_config_nr(cfg), 1);
	assert_int_equal(ksr_config_find(cfg, pfr0, &v), 0);
	assert_int_equal(v, 0x11);
	ksr_config_free(cfg);
}

/* Lines of any length; comments never count. */
static void test_long_lines(void **state)
{
	struct ksr_rules *rules = model("max");
	size_t n = 100000, len;
	char *text = malloc(3 * n + 256), err[256];
	struct ksr_config *cfg = NULL;
	uint64_t v;

	(void)state;
	assert_non_null(text);
	/* A comment line, a comment after a value, then blanks around a value. */
	len = (size_t)sprintf(text, "# ");
	memset(text + len, 'c', n);
	len += n;
	len += (size_t)sprintf(text + len, "\nID_AA64PFR0_EL1 0x11 #");
	memset(text + len, '#', n);
	len += n;
	len += (size_t)sprintf(text + len, "\n");
	memset(text + len, ' ', n);
	len += n;
	len += (size_t)sprintf(text + len, "ID_AA64ISAR0_EL1\t=\t0x22   \n");
	if (ksr_config_parse(text, len, "t", rules, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(ksr_config_nr(cfg), 2);
	assert_int_equal(ksr_config_find(cfg, (struct ksr_encoding){ 3, 0, 0, 6, 0 }, &v), 0);
	assert_int_equal(v, 0x22);
	ksr_config_free(cfg);
	cfg = NULL;
	/* A long unknown name: refused, the message bounded. */
	memset(text, 'R', n);
	len = n + (size_t)sprintf(text + n, " 0\n");
	assert_int_equal(ksr_config_parse(text, len, "t", rules, &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "t:1: unknown register 'RRRR"));
	assert_null(cfg);
	free(text);
	ksr_rules_free(rules);
}

/* The strict value parser of configuration lines, for check --batch too. */
static void test_parse_hex64(void **state)
{
	static const char *const bad_values[] = {
		"", "0x", "0x0x1", "+1", "-1", " 1", "1 ", "0x10000000000000000", "00000000000000001",
		"1g", "0x-1",
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++)
		if (!ksr_parse_hex64(bad_values[i], &v))
			fail_msg("\"%s\" parsed", bad_values[i]);
	assert_int_equal(ksr_parse_hex64("0XfFfFfFfFfFfFfFfF", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(ksr_parse_hex64("1a", &v), 0);
	assert_int_equal(v, 0x1a);
	assert_int_equal(ksr_parse_hex64("0000000000000001", &v), 0);
	assert_int_equal(v, 1);
}

/* The format a configuration was read in, named or detected; kept through ksr_clamp(). */
static void test_read_format(void **state)
{
	static const struct {
		const char *text;
		enum ksr_config_format named, read;
	} cases[] = {
		{ "ID_AA64PFR0_EL1 0x0\n", KSR_CONFIG_FORMAT_AUTO, KSR_CONFIG_FORMAT_LINES },
		{ "{ \"reg_modifiers\": [] }", KSR_CONFIG_FORMAT_AUTO, KSR_CONFIG_FORMAT_FIRECRACKER },
		{ "host,SYSREG_ID_AA64PFR0_EL1_SVE=0", KSR_CONFIG_FORMAT_AUTO, KSR_CONFIG_FORMAT_QEMU },
		{ "SYSREG_ID_AA64PFR0_EL1_SVE=0\n", KSR_CONFIG_FORMAT_QEMU_LINES,
		  KSR_CONFIG_FORMAT_QEMU_LINES },
		{ "# no SVE, no AES, a comment, with commas\nSYSREG_ID_AA64PFR0_EL1_SVE=0\n"
		  "SYSREG_ID_AA64ISAR0_EL1_AES=0\n", KSR_CONFIG_FORMAT_AUTO,
		  KSR_CONFIG_FORMAT_QEMU_LINES },
	};
	struct ksr_rules *rules = load(KSR_FIXTURES "/max.json");
	struct ksr_config *cfg;
	struct ksr_report *rep;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(ksr_config_parse_format(cases[i].text, strlen(cases[i].text), "t",
							 rules, cases[i].named, &cfg, err,
							 sizeof(err)), 0);
		assert_int_equal(ksr_config_read_format(cfg), cases[i].read);
		assert_int_equal(ksr_clamp(rules, cfg, &rep, err, sizeof(err)), 0);
		assert_int_equal(ksr_config_read_format(ksr_report_config(rep)), cases[i].read);
		ksr_report_free(rep);
		ksr_config_free(cfg);
	}
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_read_format(cfg), KSR_CONFIG_FORMAT_LINES);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_find_entry),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_save_mode_and_links),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_encodings_do_not_wrap),
		cmocka_unit_test(test_set_validates),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_parse_hex64),
		cmocka_unit_test(test_read_format),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
