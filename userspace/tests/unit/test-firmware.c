// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware pseudo-registers in the model: the predictor on every branch
 * (bitmap, value list, immutability after the rule, rules to probe), the
 * accessors, lookups by name and id, profiles v2 (round trip, every error
 * naming its JSON path, v1 still read) and configurations by name and id.
 * The registers are built from small v2 profiles written here.
 */
#include <errno.h>
#include <inttypes.h>

#include "unit.h"

#define FW_PSCI		"0x6030000000140000"
#define FW_WA1		"0x6030000000140001"
#define FW_STD		"0x6030000000160000"
#define FW_VENDOR	"0x6030000000160002"

/* A v2 profile of the firmware registers given as JSON objects (",".join). */
static struct ksr_rules *fw_profile(const char *regs)
{
	struct ksr_rules *rules = NULL;
	char text[4096], err[512];

	snprintf(text, sizeof(text), "{\"schema\": \"kvm-safe-rules/v2\", \"kernel\": \"k\", "
		 "\"source\": \"test\", \"vcpu_features\": [\"psci-0.2\"], \"registers\": [%s]}", regs);
	if (ksr_profile_parse(text, strlen(text), "t.json", &rules, err, sizeof(err)))
		fail_msg("%s", err);
	return rules;
}

/* A bitmap: default value, mask, immutable. */
static const char *bitmap_json(char *buf, size_t len, const char *id, uint64_t value, uint64_t mask,
			       bool immutable)
{
	snprintf(buf, len, "{\"name\": \"%s\", \"kind\": \"firmware\", \"id\": \"%s\", "
		 "\"value\": \"0x%" PRIx64 "\", \"writable_mask\": \"0x%" PRIx64 "\", "
		 "\"immutable\": %s, \"bitmap\": true}", ksr_fw_name(strtoull(id, NULL, 16)) ?: id,
		 id, value, mask, immutable ? "true" : "false");
	return buf;
}

/* The workaround register: accepts 0 and 1 (both reading back 1), 0x11 (itself). */
static const char *list_json(char *buf, size_t len, bool immutable, const char *extra)
{
	snprintf(buf, len, "{\"name\": \"KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1\", \"kind\": \"firmware\", "
		 "\"id\": \"" FW_WA1 "\", \"value\": \"0x1\", \"writable_mask\": \"0x0\", "
		 "\"immutable\": %s, \"bitmap\": false%s, \"values\": [{\"value\": \"0x0\", "
		 "\"reads_back\": \"0x1\"}, {\"value\": \"0x1\", \"reads_back\": \"0x1\"}, "
		 "{\"value\": \"0x11\", \"reads_back\": \"0x11\"}]}",
		 immutable ? "true" : "false", extra);
	return buf;
}

static struct ksr_verdict predict(const struct ksr_reg *reg, uint64_t value, uint64_t current)
{
	struct ksr_verdict v;

	ksr_predict(reg, value, current, &v);
	return v;
}

static void expect_fault(const struct ksr_verdict *v, int error, enum ksr_reason reason,
			 uint64_t bits)
{
	assert_false(v->accept);
	assert_int_equal(v->error, error);
	assert_int_equal(v->nr_faults, 1);
	assert_null(v->faults[0].field);
	assert_int_equal(v->faults[0].reason, reason);
	assert_int_equal(v->faults[0].bits, bits);
}

static void expect_accept(const struct ksr_verdict *v, uint64_t stored)
{
	assert_true(v->accept);
	assert_int_equal(v->error, 0);
	assert_int_equal(v->nr_faults, 0);
	assert_int_equal(v->stored, stored);
}

/* A bitmap: a subset of the offered bits is stored as written; any other bit refused. */
static void test_predict_bitmap(void **state)
{
	char buf[512];
	struct ksr_rules *rules = fw_profile(bitmap_json(buf, sizeof(buf), FW_VENDOR, 0x3, 0x3, false));
	const struct ksr_reg *reg = ksr_rules_reg(rules, 0);
	struct ksr_verdict v;

	(void)state;
	assert_int_equal(ksr_reg_kind(reg), KSR_REG_KIND_FIRMWARE);
	for (uint64_t x = 0; x < 4; x++) {
		v = predict(reg, x, reg->limit);
		expect_accept(&v, x);
	}
	v = predict(reg, 0x4, reg->limit);
	expect_fault(&v, -EINVAL, KSR_NOT_OFFERED, 0x4);
	v = predict(reg, 0x8000000000000005ull, reg->limit);
	expect_fault(&v, -EINVAL, KSR_NOT_OFFERED, 0x8000000000000004ull);
	/* The current value does not matter before the first run */
	v = predict(reg, 0x1, 0x2);
	expect_accept(&v, 0x1);
	ksr_rules_free(rules);
}

/* After the first run: the rule first (EINVAL), then the current value (EBUSY). */
static void test_predict_bitmap_immutable(void **state)
{
	char buf[512];
	struct ksr_rules *rules = fw_profile(bitmap_json(buf, sizeof(buf), FW_VENDOR, 0x3, 0x3, true));
	const struct ksr_reg *reg = ksr_rules_reg(rules, 0);
	struct ksr_verdict v;

	(void)state;
	v = predict(reg, 0x1, 0x1);
	expect_accept(&v, 0x1);
	v = predict(reg, 0x3, 0x1);
	expect_fault(&v, -EBUSY, KSR_IMMUTABLE, 0x2);
	/* not offered and not the current value: EINVAL, not EBUSY */
	v = predict(reg, 0x5, 0x1);
	expect_fault(&v, -EINVAL, KSR_NOT_OFFERED, 0x4);
	/* not offered although the current value has it (cannot happen, but the order shows) */
	v = predict(reg, 0x4, 0x4);
	expect_fault(&v, -EINVAL, KSR_NOT_OFFERED, 0x4);
	ksr_rules_free(rules);
}

/* A value list: listed values stored as their reads_back; any other refused. */
static void test_predict_values(void **state)
{
	char buf[1024];
	struct ksr_rules *rules = fw_profile(list_json(buf, sizeof(buf), false, ""));
	const struct ksr_reg *reg = ksr_rules_reg(rules, 0);
	uint64_t value, back;
	struct ksr_verdict v;

	(void)state;
	assert_int_equal(ksr_reg_nr_values(reg), 3);
	assert_int_equal(ksr_reg_nr_fields(reg), 0);
	for (unsigned int i = 0; i < ksr_reg_nr_values(reg); i++) {
		assert_int_equal(ksr_reg_value(reg, i, &value, &back), 0);
		v = predict(reg, value, reg->limit);
		expect_accept(&v, back);
	}
	assert_int_equal(ksr_reg_value(reg, 3, &value, &back), -ERANGE);
	v = predict(reg, 0x0, reg->limit);
	expect_accept(&v, 0x1);
	v = predict(reg, 0x2, reg->limit);
	expect_fault(&v, -EINVAL, KSR_NOT_LISTED, 0x2);
	v = predict(reg, 0x10, reg->limit);
	expect_fault(&v, -EINVAL, KSR_NOT_LISTED, 0x10);
	ksr_rules_free(rules);
}

static void test_predict_values_immutable(void **state)
{
	char buf[1024];
	struct ksr_rules *rules = fw_profile(list_json(buf, sizeof(buf), true, ""));
	const struct ksr_reg *reg = ksr_rules_reg(rules, 0);
	struct ksr_verdict v;

	(void)state;
	v = predict(reg, 0x1, 0x1);
	expect_accept(&v, 0x1);
	v = predict(reg, 0x11, 0x1);
	expect_fault(&v, -EBUSY, KSR_IMMUTABLE, 0x10);
	/* 0x0 reads back 0x1, the current value; it is still not the current value */
	v = predict(reg, 0x0, 0x1);
	expect_fault(&v, -EBUSY, KSR_IMMUTABLE, 0x1);
	v = predict(reg, 0x3, 0x3);
	expect_fault(&v, -EINVAL, KSR_NOT_LISTED, 0x3);
	ksr_rules_free(rules);
}

/* KVM marked the rule as one to probe, or a flag this library does not know: only the default. */
static void test_predict_probe(void **state)
{
	char buf[1024];
	struct ksr_rules *rules = fw_profile(list_json(buf, sizeof(buf), false, ", \"probe\": true"));
	struct ksr_reg *reg = &rules->regs[0];
	struct ksr_verdict v;

	(void)state;
	assert_true(ksr_reg_flags(reg) & KSR_REG_PROBE);
	v = predict(reg, 0x1, 0x1);
	expect_accept(&v, 0x1);
	v = predict(reg, 0x0, 0x1);
	expect_fault(&v, -EINVAL, KSR_PROBE, 0x1);
	/* a flag a firmware register does not take (RAZ) is not ignored */
	reg->flags = KSR_REG_RAZ;
	v = predict(reg, 0x0, 0x1);
	expect_fault(&v, -EINVAL, KSR_PROBE, 0x1);
	v = predict(reg, 0x1, 0x1);
	expect_accept(&v, 0x1);
	/* nor is a kind it does not know */
	reg->flags = 0;
	reg->kind = 7;
	v = predict(reg, 0x0, 0x1);
	expect_fault(&v, -EINVAL, KSR_PROBE, 0x1);
	ksr_rules_free(rules);
}

/* Names, ids, kinds: the UAPI's names, ids computed for ID registers, lookups by either. */
static void test_names_and_ids(void **state)
{
	struct ksr_rules *max = model("max"), *fw = load(KSR_FIXTURES "/firmware/a.json");
	const struct ksr_reg *pfr0 = ksr_rules_find_reg(max, "ID_AA64PFR0_EL1"), *reg;
	struct ksr_encoding none;
	char buf[512];

	(void)state;
	assert_int_equal(ksr_reg_kind(pfr0), KSR_REG_KIND_ID);
	/* op0 3, op1 0, CRn 0, CRm 4, op2 0 */
	assert_int_equal(ksr_reg_id(pfr0), 0x6030000000130000ull | 3u << 14 | 4u << 3);
	assert_ptr_equal(ksr_rules_find_reg(max, "0x603000000013c020"), pfr0);
	assert_ptr_equal(ksr_rules_find_reg(max, "0x603000000013C020"), pfr0);
	assert_ptr_equal(ksr_rules_find_id(max, 0x603000000013c020ull), pfr0);
	assert_int_equal(ksr_reg_nr_values(pfr0), 0);
	/* not "0x" and 16 digits: no register */
	assert_null(ksr_rules_find_reg(max, "0x13c020"));
	assert_null(ksr_rules_find_reg(max, "0x603000000013c0200"));

	reg = ksr_rules_find_reg(fw, "KVM_REG_ARM_PSCI_VERSION");
	assert_non_null(reg);
	assert_ptr_equal(ksr_rules_find_reg(fw, FW_PSCI), reg);
	assert_ptr_equal(ksr_rules_find_id(fw, 0x6030000000140000ull), reg);
	assert_int_equal(ksr_reg_id(reg), 0x6030000000140000ull);
	none = ksr_reg_encoding(reg);
	assert_int_equal(none.op0, 0xff);
	assert_null(ksr_rules_find_encoding(fw, none));
	assert_null(ksr_rules_find_encoding(fw, (struct ksr_encoding){ 0, 0, 0, 0, 0 }));
	ksr_rules_free(fw);

	/* an id the UAPI does not name: its name is its id */
	fw = fw_profile(bitmap_json(buf, sizeof(buf), "0x6030000000160007", 0x1, 0x5, false));
	reg = ksr_rules_reg(fw, 0);
	assert_string_equal(ksr_reg_name(reg), "0x6030000000160007");
	assert_ptr_equal(ksr_rules_find_reg(fw, "0x6030000000160007"), reg);
	/* a bitmap's bits: one writable ANY field each, named BIT<n> when the UAPI names none */
	assert_int_equal(ksr_reg_nr_fields(reg), 2);
	assert_string_equal(ksr_field_name(ksr_reg_field(reg, 0)), "BIT0");
	assert_string_equal(ksr_field_name(ksr_reg_field(reg, 1)), "BIT2");
	assert_int_equal(ksr_field_rule(ksr_reg_field(reg, 1)), KSR_RULE_ANY);
	assert_int_equal(ksr_field_flags(ksr_reg_field(reg, 1)), KSR_FIELD_WRITABLE);
	ksr_rules_free(fw);
	fw = fw_profile(bitmap_json(buf, sizeof(buf), FW_VENDOR, 0x3, 0x3, false));
	assert_string_equal(ksr_field_name(ksr_reg_field(ksr_rules_reg(fw, 0), 1)), "PTP");
	ksr_rules_free(fw);
	ksr_rules_free(max);
}

/* Every branch of the predictor on every bitmap bit: ksr_field_values() of each is 0-1. */
static void test_bitmap_field_values(void **state)
{
	struct ksr_rules *fw = load(KSR_FIXTURES "/firmware/a.json");

	(void)state;
	for (unsigned int i = 0; i < ksr_rules_nr_regs(fw); i++) {
		const struct ksr_reg *reg = ksr_rules_reg(fw, i);

		if (!(ksr_reg_flags(reg) & KSR_REG_BITMAP))
			continue;
		for (unsigned int j = 0; j < ksr_reg_nr_fields(reg); j++) {
			struct ksr_values *vals;

			assert_int_equal(ksr_field_values(reg, ksr_reg_field(reg, j), reg->limit, &vals), 0);
			assert_int_equal(ksr_values_count(vals), 2);
			ksr_values_free(vals);
		}
	}
	ksr_rules_free(fw);
}

/* ---- profiles v2 ---------------------------------------------------------- */

/* The firmware fixtures write back byte for byte, and the copy a source gives too. */
static void test_profile_roundtrip(void **state)
{
	static const char *const names[] = { "a", "b", "c" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		char path[256], err[512], *text, *out;
		struct ksr_rules *rules, *copy;
		struct ksr_source *src;
		size_t len, out_len;

		snprintf(path, sizeof(path), "%s/firmware/%s.json", KSR_FIXTURES, names[i]);
		rules = load(path);
		text = slurp(path, &len);
		out = written(rules, &out_len);
		assert_int_equal(out_len, len);
		assert_memory_equal(out, text, len);
		assert_non_null(strstr(out, "\"kvm-safe-rules/v2\""));
		free(out);
		assert_int_equal(ksr_source_open_profile(&src, path, err, sizeof(err)), 0);
		assert_int_equal(ksr_source_rules(src, &copy, err, sizeof(err)), 0);
		out = written(copy, &out_len);
		assert_int_equal(out_len, len);
		assert_memory_equal(out, text, len);
		free(out);
		free(text);
		ksr_rules_free(copy);
		ksr_source_close(src);
		ksr_rules_free(rules);
	}
}

/* A v1 profile reads, with no firmware registers; "kind" means nothing there. */
static void test_v1_has_no_firmware(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/../compat/max-series-v1.json");
	const char *text = "{\"schema\": \"kvm-safe-rules/v1\", \"kernel\": \"k\", \"source\": \"s\", "
			   "\"vcpu_features\": [], \"registers\": [{\"name\": \"X\", \"kind\": \"firmware\", "
			   "\"encoding\": [3, 0, 0, 4, 0], \"value\": \"0x0\", \"writable_mask\": \"0x0\", "
			   "\"unfielded_mask\": \"0x0\", \"raz\": false, \"writes_ignored\": false, "
			   "\"immutable\": false, \"fields\": []}]}";
	struct ksr_rules *v1 = NULL;
	char err[512];

	(void)state;
	assert_true(ksr_rules_nr_regs(rules) > 0);
	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++)
		assert_int_equal(ksr_reg_kind(ksr_rules_reg(rules, i)), KSR_REG_KIND_ID);
	assert_int_equal(ksr_profile_parse(text, strlen(text), "v1", &v1, err, sizeof(err)), 0);
	assert_int_equal(ksr_reg_kind(ksr_rules_reg(v1, 0)), KSR_REG_KIND_ID);
	ksr_rules_free(v1);
	ksr_rules_free(rules);
}

#define ID_REG "{\"name\": \"ID_AA64PFR0_EL1\", \"encoding\": [3, 0, 0, 4, 0], \"value\": \"0x0\", " \
	       "\"writable_mask\": \"0x0\", \"unfielded_mask\": \"0x0\", \"raz\": false, " \
	       "\"writes_ignored\": false, \"immutable\": false, \"fields\": [%s]%s}"
#define FW(id, rest) "{\"name\": \"" id "\", \"kind\": \"firmware\", \"id\": \"" id "\", " \
		     "\"value\": \"0x1\", \"immutable\": false, " rest "}"
#define BMAP(id, mask, fields) FW(id, "\"writable_mask\": \"" mask "\", \"bitmap\": true" fields)
#define LIST(id, values) FW(id, "\"writable_mask\": \"0x0\", \"bitmap\": false, \"values\": [" values "]")
#define VAL(v, r) "{\"value\": \"" v "\", \"reads_back\": \"" r "\"}"
#define BIT(n, rest) "{\"name\": \"B\", \"shift\": " #n ", \"width\": 1, \"signed\": false, " \
		     "\"rule\": \"ANY\", \"safe_val\": 0, \"writable\": true" rest "}"

static const struct {
	const char *what, *regs, *message;
} bad[] = {
	{ "unknown kind", "{\"name\": \"X\", \"kind\": \"pseudo\"}",
	  "registers[0].kind: unknown kind \"pseudo\"" },
	{ "firmware with an encoding",
	  "{\"name\": \"X\", \"kind\": \"firmware\", \"encoding\": [3, 0, 0, 4, 0]}",
	  "registers[0].encoding: a firmware register has none" },
	{ "no id", "{\"name\": \"X\", \"kind\": \"firmware\"}", "registers[0].id: missing" },
	{ "bad id", FW("0x60300000001400", "\"bitmap\": true"),
	  "registers[0].id: must be a register id \"0x\" and 16 hex digits, not \"0x60300000001400\"" },
	{ "id out of range", FW("0x6030000000170000", "\"bitmap\": true"),
	  "registers[0].id: 0x6030000000170000 is neither" },
	{ "sysreg id", FW("0x603000000013c020", "\"bitmap\": true"),
	  "registers[0].id: 0x603000000013c020 is not a firmware register's id" },
	{ "no bitmap", FW("0x6030000000140000", "\"writable_mask\": \"0x0\""),
	  "registers[0].bitmap: missing" },
	{ "bitmap with values", FW("0x6030000000160000", "\"writable_mask\": \"0x1\", \"bitmap\": true, \"values\": []"),
	  "registers[0].values: a bitmap has no list of values" },
	{ "list without values", FW("0x6030000000140000", "\"writable_mask\": \"0x0\", \"bitmap\": false"),
	  "registers[0]: a firmware register that is not a bitmap needs \"values\"" },
	{ "list with a mask", FW("0x6030000000140000", "\"writable_mask\": \"0x1\", \"bitmap\": false, \"values\": []"),
	  "registers[0].writable_mask: must be 0" },
	{ "list with fields", FW("0x6030000000140000", "\"writable_mask\": \"0x0\", \"bitmap\": false, \"values\": [], \"fields\": [" BIT(0, "") "]"),
	  "registers[0].fields: a firmware register that is not a bitmap has no fields" },
	{ "values descending", LIST("0x6030000000140000", VAL("0x2", "0x2") ", " VAL("0x1", "0x1")),
	  "registers[0].values[1].value: 0x0000000000000001 is below values[0]" },
	{ "value twice", LIST("0x6030000000140000", VAL("0x2", "0x2") ", " VAL("0x2", "0x1")),
	  "registers[0].values[1].value: 0x0000000000000002 repeats values[0]" },
	{ "bad reads_back", LIST("0x6030000000140000", VAL("0x2", "2")),
	  "registers[0].values[0].reads_back: must be a hex string" },
	{ "value not an object", LIST("0x6030000000140000", "3"),
	  "registers[0].values[0]: must be an object, not an integer" },
	{ "bitmap field outside the mask", BMAP("0x6030000000160000", "0x1", ", \"fields\": [" BIT(1, "") "]"),
	  "registers[0].fields[0]: must be bit 0 (width 1)" },
	{ "bitmap fields too few", BMAP("0x6030000000160000", "0x3", ", \"fields\": [" BIT(0, "") "]"),
	  "registers[0].fields: 1 fields for the 2 bits of writable_mask" },
	{ "bitmap field not ANY", BMAP("0x6030000000160000", "0x1",
				       ", \"fields\": [{\"name\": \"B\", \"shift\": 0, \"width\": 1, \"signed\": false, \"rule\": \"EXACT\", \"safe_val\": 0, \"writable\": true}]"),
	  "registers[0].fields[0]: a bitmap's bit is writable, unsigned, of rule ANY" },
	{ "ID register field ANY", "",	/* below */
	  "registers[0].fields[0]: rule ANY is only that of a firmware bitmap's bits" },
	{ "ID register after firmware", BMAP("0x6030000000160000", "0x1", "") ", " ID_REG,
	  "registers[1]: an ID register after a firmware register (registers[0])" },
	{ "firmware out of order", BMAP("0x6030000000160000", "0x1", "") ", " LIST("0x6030000000140000", ""),
	  "registers[1]: firmware register 0x6030000000140000 after 0x6030000000160000 (registers[0])" },
	{ "firmware twice", LIST("0x6030000000140000", "") ", " LIST("0x6030000000140000", ""),
	  "registers[1]: duplicate register: the" },
	{ "another register's id as a name",
	  "{\"name\": \"0x6030000000140001\", \"kind\": \"firmware\", \"id\": \"0x6030000000140000\", \"value\": \"0x1\", \"immutable\": false, \"writable_mask\": \"0x0\", \"bitmap\": false, \"values\": []}",
	  "registers[0].name: \"0x6030000000140001\" reads as a register id: only 0x6030000000140000" },
	{ "another register's UAPI name",
	  "{\"name\": \"KVM_REG_ARM_STD_BMAP\", \"kind\": \"firmware\", \"id\": \"0x6030000000140000\", \"value\": \"0x1\", \"immutable\": false, \"writable_mask\": \"0x0\", \"bitmap\": false, \"values\": []}",
	  "registers[0].name: \"KVM_REG_ARM_STD_BMAP\" is the firmware register 0x6030000000160000" },
	{ "ID register with another id", "",	/* below */
	  "registers[0].id: 0x6030000000130000 is not the id of encoding 3,0,0,4,0" },
	{ "follows_id_regs not a boolean", FW("0x6030000000140000", "\"writable_mask\": \"0x0\", \"bitmap\": false, \"values\": [], \"follows_id_regs\": 1"),
	  "registers[0].follows_id_regs: must be a boolean" },
};

static void test_profile_errors(void **state)
{
	char regs[2048], text[4096], err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ksr_rules *rules = NULL;
		int ret;

		if (!strcmp(bad[i].what, "ID register field ANY"))
			snprintf(regs, sizeof(regs), ID_REG,
				 "{\"name\": \"F\", \"shift\": 0, \"width\": 4, \"signed\": false, \"rule\": \"ANY\", \"safe_val\": 0, \"writable\": true}", "");
		else if (!strcmp(bad[i].what, "ID register with another id"))
			snprintf(regs, sizeof(regs), ID_REG, "", ", \"id\": \"0x6030000000130000\"");
		else
			snprintf(regs, sizeof(regs), bad[i].regs, "", "");
		snprintf(text, sizeof(text), "{\"schema\": \"kvm-safe-rules/v2\", \"kernel\": \"k\", "
			 "\"source\": \"s\", \"vcpu_features\": [], \"registers\": [%s]}", regs);
		ret = ksr_profile_parse(text, strlen(text), "t.json", &rules, err, sizeof(err));
		if (ret != -EINVAL || strncmp(err, "t.json: ", 8) || !strstr(err, bad[i].message))
			fail_msg("%s: %d \"%s\", wanted \"t.json: %s\"", bad[i].what, ret, err,
				 bad[i].message);
		assert_null(rules);
	}
}

/* The same profiles as v1: the firmware keys mean nothing, so the ID register rules. */
static void test_v1_refuses_any(void **state)
{
	char regs[1024], text[2048], err[512];
	struct ksr_rules *rules = NULL;

	(void)state;
	snprintf(regs, sizeof(regs), ID_REG,
		 "{\"name\": \"F\", \"shift\": 0, \"width\": 4, \"signed\": false, \"rule\": \"ANY\", \"safe_val\": 0, \"writable\": true}", "");
	snprintf(text, sizeof(text), "{\"schema\": \"kvm-safe-rules/v1\", \"kernel\": \"k\", "
		 "\"source\": \"s\", \"vcpu_features\": [], \"registers\": [%s]}", regs);
	assert_int_equal(ksr_profile_parse(text, strlen(text), "t.json", &rules, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "rule ANY is only that of a firmware bitmap's bits"));
}

/* ---- configurations --------------------------------------------------------- */

static void test_config_names_and_ids(void **state)
{
	static const char lines[] =
		"KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 0x1\n"
		"0x6030000000160002=0x2\n"
		"S3_0_C0_C4_0 0x0\n"
		"0x603000000013C028 0x0\n";
	struct ksr_rules *fw = load(KSR_FIXTURES "/firmware/a.json");
	const struct ksr_rules *with[2] = { fw, NULL };
	uint64_t id, value;
	struct ksr_encoding enc;

	(void)state;
	for (int r = 0; r < 2; r++) {
		struct ksr_config *cfg, *again;
		char *out, err[256];
		size_t len;
		FILE *f;

		assert_int_equal(ksr_config_parse(lines, strlen(lines), "c", with[r], &cfg, err, sizeof(err)), 0);
		assert_int_equal(ksr_config_nr(cfg), 4);
		/* ID registers first, in encoding order, then firmware registers by id */
		assert_int_equal(ksr_config_entry_id(cfg, 0, &id, &value), 0);
		assert_int_equal(id, 0x603000000013c020ull);
		assert_int_equal(ksr_config_entry(cfg, 1, &enc, &value), 0);
		assert_int_equal(enc.crm, 5);
		assert_int_equal(ksr_config_entry_id(cfg, 2, &id, &value), 0);
		assert_int_equal(id, 0x6030000000140001ull);
		assert_int_equal(value, 1);
		enc.op0 = 9;
		assert_int_equal(ksr_config_entry(cfg, 3, &enc, &value), -ENOENT);
		assert_int_equal(enc.op0, 9);
		assert_int_equal(value, 2);
		assert_int_equal(ksr_config_entry(cfg, 4, &enc, &value), -ERANGE);
		assert_int_equal(ksr_config_find_id(cfg, 0x6030000000160002ull, &value), 0);
		assert_int_equal(value, 2);
		assert_int_equal(ksr_config_find_id(cfg, 0x6030000000160000ull, &value), -ENOENT);
		/* written by name, read back the same, as lines and as JSON */
		for (unsigned int flags = 0; flags <= KSR_CONFIG_JSON; flags += KSR_CONFIG_JSON) {
			f = open_memstream(&out, &len);
			assert_int_equal(ksr_config_write(cfg, with[r], f, flags), 0);
			fclose(f);
			assert_non_null(strstr(out, "KVM_REG_ARM_VENDOR_HYP_BMAP"));
			assert_int_equal(ksr_config_parse(out, len, "w", with[r], &again, err, sizeof(err)), 0);
			for (unsigned int i = 0; i < 4; i++) {
				uint64_t id2, v2;

				assert_int_equal(ksr_config_entry_id(cfg, i, &id, &value), 0);
				assert_int_equal(ksr_config_entry_id(again, i, &id2, &v2), 0);
				assert_int_equal(id, id2);
				assert_int_equal(value, v2);
			}
			ksr_config_free(again);
			free(out);
		}
		/* by encoding: a firmware register by its id */
		f = open_memstream(&out, &len);
		assert_int_equal(ksr_config_write(cfg, with[r], f, KSR_CONFIG_BY_ENCODING), 0);
		fclose(f);
		assert_non_null(strstr(out, "3,0,0,4,0 0x0000000000000000\n"));
		assert_non_null(strstr(out, "0x6030000000160002 0x0000000000000002\n"));
		free(out);
		ksr_config_free(cfg);
	}
	ksr_rules_free(fw);
}

static void test_config_errors(void **state)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "KVM_REG_ARM_PSCI_VERSION 0x2\n0x6030000000140000 0x2\n",
		  "c:2: register '0x6030000000140000' is given twice" },
		{ "0x6030000000170000 0x2\n", "c:1: unknown register '0x6030000000170000'" },
		{ "KVM_REG_ARM_PSCI 0x2\n", "c:1: unknown register 'KVM_REG_ARM_PSCI'" },
		{ "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": [{\"id\": \"0x6030000000140000\", \"value\": \"0x2\"}, "
		  "{\"name\": \"KVM_REG_ARM_PSCI_VERSION\", \"value\": \"0x2\"}]}",
		  "c: registers[1]: duplicate register 0x6030000000140000" },
		{ "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": [{\"name\": \"KVM_REG_ARM_STD_BMAP\", "
		  "\"id\": \"0x6030000000140000\", \"value\": \"0x2\"}]}",
		  "c: registers[0].name: \"KVM_REG_ARM_STD_BMAP\" is 0x6030000000160000, not the id given" },
		{ "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": [{\"encoding\": [3, 0, 0, 4, 0], "
		  "\"id\": \"0x6030000000140000\", \"value\": \"0x2\"}]}",
		  "c: registers[0].id: 0x6030000000140000 is not the encoding given" },
		{ "{\"schema\": \"kvm-safe-rules-config/v1\", \"registers\": [{\"id\": \"0x60300000001400000\", \"value\": \"0x2\"}]}",
		  "c: registers[0].id: must be a register id" },
	};
	struct ksr_config *cfg;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		int ret = ksr_config_parse(cases[i].text, strlen(cases[i].text), "c", NULL, &cfg, err,
					   sizeof(err));

		if (ret != -EINVAL || !strstr(err, cases[i].message))
			fail_msg("%zu: %d \"%s\", wanted \"%s\"", i, ret, err, cases[i].message);
	}
	assert_int_equal(ksr_config_new(&cfg), 0);
	assert_int_equal(ksr_config_set_id(cfg, 0x6030000000150000ull, 1), -EINVAL);
	assert_int_equal(ksr_config_set_id(cfg, 0x6030000000140003ull, 1), 0);
	assert_int_equal(ksr_config_nr(cfg), 1);
	ksr_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_predict_bitmap),
		cmocka_unit_test(test_predict_bitmap_immutable),
		cmocka_unit_test(test_predict_values),
		cmocka_unit_test(test_predict_values_immutable),
		cmocka_unit_test(test_predict_probe),
		cmocka_unit_test(test_names_and_ids),
		cmocka_unit_test(test_bitmap_field_values),
		cmocka_unit_test(test_profile_roundtrip),
		cmocka_unit_test(test_v1_has_no_firmware),
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_v1_refuses_any),
		cmocka_unit_test(test_config_names_and_ids),
		cmocka_unit_test(test_config_errors),
	};

	return cmocka_run_group_tests_name("firmware", tests, NULL, NULL);
}
