// SPDX-License-Identifier: GPL-2.0
/*
 * Profile loading refuses every malformed profile it promises to, with a
 * message naming the file, the JSON path and the problem, and never
 * crashes: one case per promised error, each made by changing one thing in
 * max.json; then files that are not JSON at all.
 */
#include <errno.h>
#include <json.h>
#include <unistd.h>

#include "unit.h"

#define NAME "bad.json"

static json_object *reg(json_object *root, int i)
{
	json_object *regs;

	assert_true(json_object_object_get_ex(root, "registers", &regs));
	return json_object_array_get_idx(regs, i);
}

static json_object *field(json_object *root, int i, int j)
{
	json_object *fields;

	assert_true(json_object_object_get_ex(reg(root, i), "fields", &fields));
	return json_object_array_get_idx(fields, j);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v;
}

static void set(json_object *o, const char *key, json_object *v)
{
	assert_int_equal(json_object_object_add(o, key, v), 0);
}

static void set_str(json_object *o, const char *key, const char *v)
{
	set(o, key, json_object_new_string(v));
}

/* ---- one change each ------------------------------------------------------ */

static void schema_v3(json_object *r) { set_str(r, "schema", "kvm-safe-rules/v3"); }
static void no_writable_mask(json_object *r) { json_object_object_del(reg(r, 4), "writable_mask"); }
static void raz_string(json_object *r) { set_str(reg(r, 2), "raz", "yes"); }
static void width_65(json_object *r) { set(field(r, 4, 1), "width", json_object_new_int(65)); }
static void width_0(json_object *r) { set(field(r, 4, 1), "width", json_object_new_int(0)); }
static void shift_string(json_object *r) { set_str(field(r, 4, 1), "shift", "4"); }
static void shift_fraction(json_object *r) { set(field(r, 4, 1), "shift", json_object_new_double(4.5)); }
static void shift_width_65(json_object *r)
{
	set(field(r, 4, 0), "shift", json_object_new_int(60));
	set(field(r, 4, 0), "width", json_object_new_int(8));
}
static void overlap(json_object *r)
{
	set(field(r, 4, 1), "shift", json_object_new_int(json_object_get_int(get(field(r, 4, 0), "shift")) + 1));
}
static void dup_encoding(json_object *r) { set(reg(r, 5), "encoding", json_object_get(get(reg(r, 4), "encoding"))); }
static void dup_name(json_object *r) { set_str(reg(r, 5), "name", json_object_get_string(get(reg(r, 4), "name"))); }
static void hex_17_digits(json_object *r) { set_str(reg(r, 0), "value", "0x00000000000000001"); }
static void hex_no_0x(json_object *r) { set_str(reg(r, 0), "value", "0000000001020131"); }
static void hex_bad_digit(json_object *r) { set_str(reg(r, 0), "unfielded_mask", "0x00000000f0g00000"); }
static void hex_empty(json_object *r) { set_str(reg(r, 0), "value", "0x"); }
static void hex_number(json_object *r) { set(reg(r, 0), "value", json_object_new_int(5)); }
static void rule_unknown(json_object *r) { set_str(field(r, 0, 2), "rule", "LOWER_SAFER"); }
static void rule_lowercase(json_object *r) { set_str(field(r, 0, 2), "rule", "lower_safe"); }
static void host_rule_unknown(json_object *r) { set_str(field(r, 32, 5), "host_rule", "UNKNOWN"); }
static void feature_unknown(json_object *r) { json_object_array_add(get(r, "vcpu_features"), json_object_new_string("mte")); }
static void encoding_short(json_object *r) { json_object_array_del_idx(get(reg(r, 0), "encoding"), 4, 1); }
static void encoding_op1_8(json_object *r) { json_object_array_put_idx(get(reg(r, 0), "encoding"), 1, json_object_new_int(8)); }
static void min_alone(json_object *r) { json_object_object_del(field(r, 32, 6), "min_or_zero"); }
static void min_or_zero_alone(json_object *r) { json_object_object_del(field(r, 32, 6), "min"); }
static void min_too_big(json_object *r) { set(field(r, 32, 6), "min", json_object_new_int(16)); }
static void alias_no_host_value(json_object *r) { json_object_object_del(get(field(r, 32, 5), "alias"), "host_value"); }
static void width_17(json_object *r) { set(field(r, 4, 1), "width", json_object_new_int(17)); }
static void safe_val_negative(json_object *r) { set(field(r, 0, 0), "safe_val", json_object_new_int(-1)); }
static void safe_val_too_big(json_object *r) { set(field(r, 0, 0), "safe_val", json_object_new_int(16)); }
static void reg_name_blank(json_object *r) { set_str(reg(r, 0), "name", "MIDR EL1"); }
static void reg_name_hash(json_object *r) { set_str(reg(r, 0), "name", "MIDR#EL1"); }
static void reg_name_equals(json_object *r) { set_str(reg(r, 0), "name", "MIDR=EL1"); }
static void reg_name_newline(json_object *r) { set_str(reg(r, 0), "name", "MIDR\nEL1"); }
static void reg_name_comma(json_object *r) { set_str(reg(r, 0), "name", "3,0,0,5,0"); }
static void reg_name_long(json_object *r) { set_str(reg(r, 0), "name", "A123456789012345678901234567890123456789012345678901234567890123"); }
static void reg_name_other_enc(json_object *r) { set_str(reg(r, 0), "name", "S3_0_C0_C5_0"); }
static void reg_name_wrapping_enc(json_object *r) { set_str(reg(r, 0), "name", "S3_0_C0_C0_4294967296"); }
static void field_name_dot(json_object *r) { set_str(field(r, 0, 0), "name", "Rev.ision"); }
static void kernel_null(json_object *r) { set(r, "kernel", NULL); }
static void field_name_number(json_object *r) { set(field(r, 0, 0), "name", json_object_new_int(7)); }
static void reg_name_empty(json_object *r) { set_str(reg(r, 0), "name", ""); }
static void reg_not_object(json_object *r) { json_object_array_put_idx(get(r, "registers"), 1, json_object_new_int(1)); }
static void safe_val_string(json_object *r) { set_str(field(r, 0, 0), "safe_val", "0"); }
static void fields_object(json_object *r) { set(reg(r, 0), "fields", json_object_new_object()); }
static void no_registers(json_object *r) { json_object_object_del(r, "registers"); }
static void provider_unknown(json_object *r) { set_str(r, "provider", "hypervisor"); }
static void provider_upper_case(json_object *r) { set_str(r, "provider", "Module"); }
static void provider_number(json_object *r) { set(r, "provider", json_object_new_int(1)); }
static void provider_null(json_object *r) { set(r, "provider", NULL); }

static const struct bad_case {
	const char *what;
	void (*change)(json_object *root);
	const char *path;
	const char *problem;
} cases[] = {
	{ "unknown schema", schema_v3, "schema", "unknown schema \"kvm-safe-rules/v3\"" },
	{ "missing key", no_writable_mask, "registers[4].writable_mask", "missing" },
	{ "missing key (top level)", no_registers, "registers", "missing" },
	{ "mistyped key", raz_string, "registers[2].raz", "must be a boolean, not a string" },
	{ "width > 64", width_65, "registers[4].fields[1].width", "must be 1..16, not 65" },
	{ "width 0", width_0, "registers[4].fields[1].width", "must be 1..16, not 0" },
	{ "width > 16", width_17, "registers[4].fields[1].width", "must be 1..16, not 17" },
	{ "safe_val negative", safe_val_negative, "registers[0].fields[0].safe_val", "must be 0..15, not -1" },
	{ "safe_val beyond the field", safe_val_too_big, "registers[0].fields[0].safe_val",
	  "must be 0..15, not 16" },
	{ "register name with a blank", reg_name_blank, "registers[0].name", "letters, digits and '_' only" },
	{ "register name with #", reg_name_hash, "registers[0].name", "letters, digits and '_' only" },
	{ "register name with =", reg_name_equals, "registers[0].name", "letters, digits and '_' only" },
	{ "register name with a newline", reg_name_newline, "registers[0].name", "letters, digits and '_' only" },
	{ "register name an encoding", reg_name_comma, "registers[0].name", "letters, digits and '_' only" },
	{ "register name of 64 characters", reg_name_long, "registers[0].name", "at most 63 characters" },
	{ "register name another's encoding", reg_name_other_enc, "registers[0].name",
	  "\"S3_0_C0_C5_0\" reads as an encoding: only S3_0_C0_C1_0 (its own) may" },
	{ "register name an encoding that wraps", reg_name_wrapping_enc, "registers[0].name",
	  "reads as an encoding" },
	{ "field name with a dot", field_name_dot, "registers[0].fields[0].name", "letters, digits and '_' only" },
	{ "shift a string", shift_string, "registers[4].fields[1].shift", "must be an integer, not a string" },
	{ "shift a fraction", shift_fraction, "registers[4].fields[1].shift",
	  "must be an integer, not a fractional number" },
	{ "shift+width > 64", shift_width_65, "registers[4].fields[0].width",
	  "shift 60 + width 8 goes beyond bit 63" },
	{ "overlapping fields", overlap, "registers[4].fields[1]", "overlap fields[0]" },
	{ "duplicate encoding", dup_encoding, "registers[5]", "duplicate register: the encoding of registers[4]" },
	{ "duplicate name", dup_name, "registers[5]", "duplicate register: the name of registers[4]" },
	{ "hex, 17 digits", hex_17_digits, "registers[0].value", "must be a hex string" },
	{ "hex without 0x", hex_no_0x, "registers[0].value", "not \"0000000001020131\"" },
	{ "hex, bad digit", hex_bad_digit, "registers[0].unfielded_mask", "must be a hex string" },
	{ "hex, no digits", hex_empty, "registers[0].value", "must be a hex string" },
	{ "hex, a number", hex_number, "registers[0].value", "must be a string, not an integer" },
	{ "unknown rule", rule_unknown, "registers[0].fields[2].rule", "unknown rule \"LOWER_SAFER\"" },
	{ "rule names are upper case", rule_lowercase, "registers[0].fields[2].rule", "unknown rule" },
	{ "unknown host rule", host_rule_unknown, "registers[32].fields[5].host_rule", "unknown rule \"UNKNOWN\"" },
	{ "unknown vCPU feature", feature_unknown, "vcpu_features[0]", "unknown vCPU feature \"mte\"" },
	{ "encoding of 4", encoding_short, "registers[0].encoding", "must be [op0, op1, CRn, CRm, op2]" },
	{ "encoding op1 8", encoding_op1_8, "registers[0].encoding[1]", "op1 must be an integer 0..7, not 8" },
	{ "min without min_or_zero", min_alone, "registers[32].fields[6]", "\"min_or_zero\" is missing" },
	{ "min_or_zero without min", min_or_zero_alone, "registers[32].fields[6]", "\"min\" is missing" },
	{ "min beyond the field", min_too_big, "registers[32].fields[6].min", "must be 0..15, not 16" },
	{ "alias without host_value", alias_no_host_value, "registers[32].fields[5].alias.host_value",
	  "missing" },
	{ "null string", kernel_null, "kernel", "must be a string, not null" },
	{ "field name a number", field_name_number, "registers[0].fields[0].name",
	  "must be a string or null, not an integer" },
	{ "empty register name", reg_name_empty, "registers[0].name", "must not be empty" },
	{ "register not an object", reg_not_object, "registers[1]", "must be an object, not an integer" },
	{ "safe_val a string", safe_val_string, "registers[0].fields[0].safe_val", "must be an integer" },
	{ "fields an object", fields_object, "registers[0].fields", "must be an array, not an object" },
	{ "unknown provider", provider_unknown, "provider",
	  "unknown provider \"hypervisor\" (\"kernel\" or \"module\")" },
	{ "provider names are lower case", provider_upper_case, "provider", "unknown provider \"Module\"" },
	{ "provider a number", provider_number, "provider", "must be a string, not an integer" },
	{ "provider null", provider_null, "provider", "must be a string, not null" },
};

static void expect_error(const char *text, size_t len, const char *path, const char *problem)
{
	struct ksr_rules *rules = NULL;
	char err[512] = "", prefix[256];
	int ret;

	ret = ksr_profile_parse(text, len, NAME, &rules, err, sizeof(err));
	print_message("# %s\n", err);
	assert_int_equal(ret, -EINVAL);
	assert_null(rules);
	snprintf(prefix, sizeof(prefix), NAME ": %s: ", path);
	if (strncmp(err, prefix, strlen(prefix)))
		fail_msg("message \"%s\" does not start with \"%s\"", err, prefix);
	if (!strstr(err + strlen(prefix), problem))
		fail_msg("message \"%s\" does not say \"%s\"", err, problem);
}

static void run_case(void **state)
{
	const struct bad_case *c = *state;
	json_object *root = json_object_from_file(KSR_FIXTURES "/max.json");
	const char *text;

	assert_non_null(root);
	c->change(root);
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	expect_error(text, strlen(text), c->path, c->problem);
	json_object_put(root);
}

/*
 * No two fields of a register have one name: two named alike, or one named
 * as another without a name is (its bits' name, CTR_EL0 bit 31's BIT31).
 */
static void test_field_names_unique(void **state)
{
	json_object *root = json_object_from_file(KSR_FIXTURES "/max.json"), *regs;
	char path[64], problem[128];
	const char *text;
	int ctr = -1;

	(void)state;
	assert_non_null(root);
	set_str(field(root, 0, 1), "name", json_object_get_string(get(field(root, 0, 0), "name")));
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	expect_error(text, strlen(text), "registers[0].fields[1].name", "is also the name of fields[0]");
	json_object_put(root);

	root = json_object_from_file(KSR_FIXTURES "/max.json");
	regs = get(root, "registers");
	for (size_t i = 0; i < json_object_array_length(regs); i++)
		if (!strcmp(json_object_get_string(get(reg(root, (int)i), "name")), "CTR_EL0"))
			ctr = (int)i;
	assert_true(ctr >= 0);
	assert_int_equal(json_object_get_int(get(field(root, ctr, 0), "shift")), 31);
	assert_int_equal(json_object_get_int(get(field(root, ctr, 0), "width")), 1);
	set(field(root, ctr, 0), "name", NULL);
	set_str(field(root, ctr, 1), "name", "BIT31");
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	snprintf(path, sizeof(path), "registers[%d].fields[1].name", ctr);
	snprintf(problem, sizeof(problem), "\"BIT31\" is also the name of fields[0] (that of a field "
		 "without one, by its bits)");
	expect_error(text, strlen(text), path, problem);
	json_object_put(root);
}

/* The unchanged document is fine: the cases fail for their change only. */
static void test_unchanged_is_valid(void **state)
{
	json_object *root = json_object_from_file(KSR_FIXTURES "/max.json");
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	struct ksr_rules *rules = NULL;
	char err[512];

	(void)state;
	assert_int_equal(ksr_profile_parse(text, strlen(text), NAME, &rules, err, sizeof(err)), 0);
	ksr_rules_free(rules);
	json_object_put(root);
}

static void test_top_level_array(void **state)
{
	(void)state;
	expect_error("[ ]", 3, "(top level)", "must be an object, not an array");
}

static void test_not_json(void **state)
{
	static const char text[] = "{\n  \"schema\": \"kvm-safe-rules/v1\",\n  \"kernel\": x\n}";

	(void)state;
	expect_error(text, strlen(text), "line 3, column 13", "not JSON: a value expected");
	expect_error("", 0, "line 1, column 1", "not JSON");
	expect_error("{ \"schema\": ", 12, "line 1, column 13", "not JSON");
}

/* Strict JSON (RFC 8259): what json-c's own parser would take, refused with its place. */
static void test_strict_json(void **state)
{
	static const struct { const char *text, *where, *problem; } bad_json[] = {
		{ "{'schema': 1}", "line 1, column 2", "a key (a string) expected" },
		{ "{\"schema\": 'x'}", "line 1, column 12", "a value expected" },
		{ "{\"a\": 1,}", "line 1, column 9", "a key (a string) expected" },
		{ "[1, 2,]", "line 1, column 7", "a value expected" },
		{ "{\"a\": 1} /* c */", "line 1, column 10", "more after the document" },
		{ "// c\n{}", "line 1, column 1", "a value expected" },
		{ "{\"a\": NaN}", "line 1, column 7", "a value expected" },
		{ "{\"a\": Infinity}", "line 1, column 7", "a value expected" },
		{ "{\"a\": -Infinity}", "line 1, column 8", "a bad number" },
		{ "{\"a\": 01}", "line 1, column 8", "',' or '}' expected" },
		{ "{\"a\": 1.}", "line 1, column 9", "a bad number" },
		{ "{\"a\": .5}", "line 1, column 7", "a value expected" },
		{ "{\"a\": +1}", "line 1, column 7", "a value expected" },
		{ "{\"a\": TRUE}", "line 1, column 7", "a value expected" },
		{ "{\"a\": \"x\ty\"}", "line 1, column 9", "a control character in a string" },
		{ "{\"a\": \"\\x41\"}", "line 1, column 10", "a bad escape" },
		{ "{\"a\": \"x\\u0000y\"}", "line 1, column 15", "\\u0000 in a string" },
		{ "{\"a\": 9223372036854775808}", "line 1, column 7", "an integer out of range" },
		{ "{\"a\": -9223372036854775809}", "line 1, column 7", "an integer out of range" },
		{ "{\"a\": 99999999999999999999}", "line 1, column 7", "an integer out of range" },
		{ "{\"a\": 1, \"b\": 2, \"a\": 3}", "line 1, column 18", "duplicate key \"a\"" },
		{ "{\"name\": 1, \"\\u006eame\": 2}", "line 1, column 13", "duplicate key \"name\"" },
		{ "{\"x\": [{\"k\": 1},\n {\"k\": 1, \"k\": 1}]}", "line 2, column 11", "duplicate key \"k\"" },
		{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "line 1, column 33",
		  "nested too deeply" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad_json) / sizeof(bad_json[0]); i++)
		expect_error(bad_json[i].text, strlen(bad_json[i].text), bad_json[i].where,
			     bad_json[i].problem);
}

/* In a whole profile: a key given twice, an integer json-c would clamp. */
static void test_strict_json_profile(void **state)
{
	static const struct { const char *from, *to, *problem; } edits[] = {
		{ "\"kernel\": ", "\"kernel\": \"other\", \"kernel\": ", "duplicate key \"kernel\"" },
		{ "\"safe_val\": 0", "\"safe_val\": 0, \"safe_val\": 1", "duplicate key \"safe_val\"" },
		{ "\"safe_val\": 0", "\"safe_val\": -99999999999999999999", "an integer out of range" },
		{ "\"shift\": 0", "\"shift\": 18446744073709551616", "an integer out of range" },
	};
	size_t len;
	char *text = slurp(KSR_FIXTURES "/max.json", &len);

	(void)state;
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		const char *at = strstr(text, edits[i].from);
		size_t head = (size_t)(at - text), n;
		char *edited = malloc(len + strlen(edits[i].to) + 1);
		struct ksr_rules *rules = NULL;
		char err[512];

		assert_non_null(at);
		memcpy(edited, text, head);
		n = head + (size_t)sprintf(edited + head, "%s%s", edits[i].to, at + strlen(edits[i].from));
		assert_int_equal(ksr_profile_parse(edited, n, NAME, &rules, err, sizeof(err)), -EINVAL);
		print_message("# %s\n", err);
		assert_null(rules);
		if (!strstr(err, edits[i].problem) || strncmp(err, NAME ": line ", strlen(NAME ": line ")))
			fail_msg("\"%s\" does not say \"%s\"", err, edits[i].problem);
		free(edited);
	}
	free(text);
}

/* Text after the document: the line after the last one of max.json. */
static void test_trailing_text(void **state)
{
	size_t len, lines = 1;
	char *text = slurp(KSR_FIXTURES "/max.json", &len), *more = malloc(len + 3), where[32];

	(void)state;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	memcpy(more, text, len);
	memcpy(more + len, "{}", 3);
	snprintf(where, sizeof(where), "line %zu, column 1", lines);
	expect_error(more, len + 2, where, "not JSON");
	free(more);
	free(text);
}

/* Cut anywhere, a profile is an error, never a crash or a partial result. */
static void test_truncated_anywhere(void **state)
{
	size_t len;
	char *text = slurp(KSR_FIXTURES "/cortex-a57.json", &len);

	(void)state;
	for (size_t cut = 0; cut + 2 < len; cut += 131) {
		struct ksr_rules *rules = NULL;
		char err[512];

		assert_int_equal(ksr_profile_parse(text, cut, NAME, &rules, err, sizeof(err)), -EINVAL);
		assert_null(rules);
		assert_non_null(strstr(err, NAME ": line "));
	}
	free(text);
}

static void test_file_errors(void **state)
{
	char dir[] = "/tmp/ksr-unit-XXXXXX", path[64], err[512];
	struct ksr_rules *rules = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	assert_int_equal(ksr_profile_load(path, &rules, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
	assert_null(rules);

	snprintf(path, sizeof(path), "%s/nul.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite("{\0}", 1, 3, f);
	fclose(f);
	assert_int_equal(ksr_profile_load(path, &rules, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "NUL"));
	assert_null(rules);
	unlink(path);

	/* A directory is not a profile either. */
	assert_true(ksr_profile_load(dir, &rules, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, dir));
	assert_null(rules);
	rmdir(dir);
}

/* A NULL or short message buffer is fine. */
static void test_small_err_buffer(void **state)
{
	struct ksr_rules *rules = NULL;
	char err[8];

	(void)state;
	assert_int_equal(ksr_profile_parse("[]", 2, NAME, &rules, NULL, 0), -EINVAL);
	assert_int_equal(ksr_profile_parse("[]", 2, NAME, &rules, err, sizeof(err)), -EINVAL);
	assert_int_equal(strlen(err), sizeof(err) - 1);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 10];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tests[n++] = (struct CMUnitTest){ cases[i].what, run_case, NULL, NULL,
						  (void *)&cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_unchanged_is_valid);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_field_names_unique);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_strict_json);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_strict_json_profile);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_top_level_array);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_not_json);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_trailing_text);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_truncated_anywhere);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_file_errors);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_small_err_buffer);
	return _cmocka_run_group_tests("profile-errors", tests, n, NULL, NULL);
}
