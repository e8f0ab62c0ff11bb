// SPDX-License-Identifier: GPL-2.0
/*
 * The model's accessors: every register (firmware ones included) and field
 * of the 7 fixtures, read through the public accessors, against the same
 * file read directly with json-c; field masks and sign extension; names; option structs; sources.
 */
#include <errno.h>
#include <inttypes.h>
#include <json.h>

#include "unit.h"

static uint64_t hex(json_object *o, const char *key)
{
	json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return strtoull(json_object_get_string(v), NULL, 16);
}

static int64_t num(json_object *o, const char *key)
{
	json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_int64(v);
}

static bool flag(json_object *o, const char *key)
{
	json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_boolean(v);
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_string(v);
}

/*
 * The name of a field without one, as Documentation/profile-format.rst
 * gives it: BIT<n> for one bit, BITS<hi>_<lo> for more.
 */
static void documented_generic_name(json_object *jf, char *buf, size_t len)
{
	int64_t shift = num(jf, "shift"), width = num(jf, "width");

	if (width == 1)
		snprintf(buf, len, "BIT%" PRId64, shift);
	else
		snprintf(buf, len, "BITS%" PRId64 "_%" PRId64, shift + width - 1, shift);
}

static void check_field(json_object *jf, const struct ksr_field *f)
{
	json_object *v, *a;
	uint64_t from, to;
	char generic[32];

	assert_true(json_object_object_get_ex(jf, "name", &v));
	documented_generic_name(jf, generic, sizeof(generic));
	assert_string_equal(ksr_field_name(f), v ? json_object_get_string(v) : generic);
	assert_int_equal(ksr_field_shift(f), num(jf, "shift"));
	assert_int_equal(ksr_field_width(f), num(jf, "width"));
	assert_int_equal(!!(ksr_field_flags(f) & KSR_FIELD_SIGNED), flag(jf, "signed"));
	assert_int_equal(!!(ksr_field_flags(f) & KSR_FIELD_WRITABLE), flag(jf, "writable"));
	assert_string_equal(ksr_rule_type_name(ksr_field_rule(f)), str(jf, "rule"));
	assert_int_equal(ksr_field_safe_val(f), (uint64_t)num(jf, "safe_val"));
	if (json_object_object_get_ex(jf, "host_rule", &v)) {
		assert_true(ksr_field_flags(f) & KSR_FIELD_RETYPED);
		assert_string_equal(ksr_rule_type_name(ksr_field_host_rule(f)), json_object_get_string(v));
	} else {
		assert_false(ksr_field_flags(f) & KSR_FIELD_RETYPED);
		assert_int_equal(ksr_field_host_rule(f), ksr_field_rule(f));
	}
	if (json_object_object_get_ex(jf, "min", &v)) {
		assert_true(ksr_field_flags(f) & KSR_FIELD_MIN);
		assert_int_equal(ksr_field_min(f), json_object_get_int64(v));
		assert_int_equal(!!(ksr_field_flags(f) & KSR_FIELD_MIN_OR_ZERO), flag(jf, "min_or_zero"));
	} else {
		assert_false(ksr_field_flags(f) & (KSR_FIELD_MIN | KSR_FIELD_MIN_OR_ZERO));
	}
	if (json_object_object_get_ex(jf, "alias", &a)) {
		ksr_field_alias(f, &from, &to);
		assert_int_equal(from, num(a, "from"));
		assert_int_equal(to, num(a, "to"));
		assert_int_equal(ksr_field_flags(f) & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST),
				 flag(a, "host_value") ? KSR_FIELD_ALIAS_HOST : KSR_FIELD_ALIAS);
	} else {
		assert_false(ksr_field_flags(f) & (KSR_FIELD_ALIAS | KSR_FIELD_ALIAS_HOST));
	}
}

static void check_fields(json_object *jr, const struct ksr_reg *reg)
{
	json_object *fields;

	assert_true(json_object_object_get_ex(jr, "fields", &fields));
	assert_int_equal(ksr_reg_nr_fields(reg), json_object_array_length(fields));
	assert_null(ksr_reg_field(reg, ksr_reg_nr_fields(reg)));
	for (unsigned int i = 0; i < ksr_reg_nr_fields(reg); i++) {
		const struct ksr_field *f = ksr_reg_field(reg, i);

		check_field(json_object_array_get_idx(fields, i), f);
		/* every field has a name, its own in the register */
		assert_ptr_equal(ksr_reg_find_field(reg, ksr_field_name(f)), f);
	}
}

/* A firmware register (v2): its id, no encoding, its flags and accepted values. */
static void check_firmware_reg(const struct ksr_rules *rules, json_object *jr, const struct ksr_reg *reg)
{
	struct ksr_encoding e = ksr_reg_encoding(reg);
	json_object *enc, *values;
	uint64_t value, reads_back;
	size_t nr = 0;

	assert_int_equal(ksr_reg_kind(reg), KSR_REG_KIND_FIRMWARE);
	assert_false(json_object_object_get_ex(jr, "encoding", &enc));
	assert_int_equal(ksr_reg_id(reg), hex(jr, "id"));
	assert_ptr_equal(ksr_rules_find_id(rules, hex(jr, "id")), reg);
	assert_ptr_equal(ksr_rules_find_reg(rules, str(jr, "id")), reg);
	assert_true(e.op0 == 0xff && e.op1 == 0xff && e.crn == 0xff && e.crm == 0xff && e.op2 == 0xff);
	assert_null(ksr_rules_find_encoding(rules, e));
	assert_int_equal(ksr_reg_default(reg), hex(jr, "value"));
	assert_int_equal(ksr_reg_writable_mask(reg), hex(jr, "writable_mask"));
	assert_int_equal(!!(ksr_reg_flags(reg) & KSR_REG_IMMUTABLE), flag(jr, "immutable"));
	assert_int_equal(!!(ksr_reg_flags(reg) & KSR_REG_BITMAP), flag(jr, "bitmap"));
	assert_int_equal(!!(ksr_reg_flags(reg) & KSR_REG_FOLLOWS_ID_REGS), flag(jr, "follows_id_regs"));
	assert_false(ksr_reg_flags(reg) & (KSR_REG_RAZ | KSR_REG_WRITES_IGNORED));
	if (json_object_object_get_ex(jr, "values", &values))
		nr = json_object_array_length(values);
	assert_true(nr == 0 || !flag(jr, "bitmap"));
	assert_int_equal(ksr_reg_nr_values(reg), nr);
	for (unsigned int i = 0; i < nr; i++) {
		json_object *jv = json_object_array_get_idx(values, i);

		assert_int_equal(ksr_reg_value(reg, i, &value, &reads_back), 0);
		assert_int_equal(value, hex(jv, "value"));
		assert_int_equal(reads_back, hex(jv, "reads_back"));
	}
	assert_int_equal(ksr_reg_value(reg, (unsigned int)nr, &value, NULL), -ERANGE);
	check_fields(jr, reg);
}

static void check_reg(const struct ksr_rules *rules, json_object *jr, const struct ksr_reg *reg)
{
	json_object *enc, *kind;
	struct ksr_encoding e = ksr_reg_encoding(reg);
	uint8_t want[5];
	char text[32];

	assert_string_equal(ksr_reg_name(reg), str(jr, "name"));
	assert_ptr_equal(ksr_rules_find_reg(rules, str(jr, "name")), reg);
	if (json_object_object_get_ex(jr, "kind", &kind) &&
	    !strcmp(json_object_get_string(kind), "firmware")) {
		check_firmware_reg(rules, jr, reg);
		return;
	}
	assert_int_equal(ksr_reg_kind(reg), KSR_REG_KIND_ID);
	assert_int_equal(ksr_reg_nr_values(reg), 0);
	assert_ptr_equal(ksr_rules_find_id(rules, ksr_reg_id(reg)), reg);
	assert_true(json_object_object_get_ex(jr, "encoding", &enc));
	for (int i = 0; i < 5; i++)
		want[i] = (uint8_t)json_object_get_int(json_object_array_get_idx(enc, i));
	assert_int_equal(e.op0, want[0]);
	assert_int_equal(e.op1, want[1]);
	assert_int_equal(e.crn, want[2]);
	assert_int_equal(e.crm, want[3]);
	assert_int_equal(e.op2, want[4]);
	snprintf(text, sizeof(text), "%u,%u,%u,%u,%u", want[0], want[1], want[2], want[3], want[4]);
	assert_ptr_equal(ksr_rules_find_reg(rules, text), reg);
	assert_ptr_equal(ksr_rules_find_encoding(rules, e), reg);
	assert_int_equal(ksr_reg_default(reg), hex(jr, "value"));
	assert_int_equal(ksr_reg_writable_mask(reg), hex(jr, "writable_mask"));
	assert_int_equal(ksr_reg_unfielded_mask(reg), hex(jr, "unfielded_mask"));
	assert_int_equal(!!(ksr_reg_flags(reg) & KSR_REG_RAZ), flag(jr, "raz"));
	assert_int_equal(!!(ksr_reg_flags(reg) & KSR_REG_WRITES_IGNORED), flag(jr, "writes_ignored"));
	assert_int_equal(!!(ksr_reg_flags(reg) & KSR_REG_IMMUTABLE), flag(jr, "immutable"));
	check_fields(jr, reg);
}

/* Every value of every fixture, through the accessors. */
static void test_accessors_match_the_json(void **state)
{
	glob_t g;

	(void)state;
	for (size_t p = 0, nr = fixture_paths(&g); p < nr; p++) {
		struct ksr_rules *rules = load(g.gl_pathv[p]);
		json_object *root = json_object_from_file(g.gl_pathv[p]), *regs, *feats, *provider;

		assert_non_null(root);
		assert_string_equal(ksr_rules_kernel(rules), str(root, "kernel"));
		assert_string_equal(ksr_rules_source(rules), str(root, "source"));
		if (json_object_object_get_ex(root, "provider", &provider))
			assert_string_equal(ksr_rules_provider(rules), json_object_get_string(provider));
		else
			assert_null(ksr_rules_provider(rules));
		assert_true(json_object_object_get_ex(root, "vcpu_features", &feats));
		assert_int_equal(__builtin_popcount(ksr_rules_vcpu_features(rules)),
				 json_object_array_length(feats));
		assert_true(json_object_object_get_ex(root, "registers", &regs));
		assert_int_equal(ksr_rules_nr_regs(rules), json_object_array_length(regs));
		assert_null(ksr_rules_reg(rules, ksr_rules_nr_regs(rules)));
		for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++)
			check_reg(rules, json_object_array_get_idx(regs, i), ksr_rules_reg(rules, i));
		assert_null(ksr_rules_find_reg(rules, "NO_SUCH_REG_EL1"));
		assert_null(ksr_rules_find_reg(rules, "3,0,0,9,0"));
		assert_null(ksr_rules_find_reg(rules, "4,0,0,1,0"));
		json_object_put(root);
		ksr_rules_free(rules);
	}
	globfree(&g);
}

/*
 * A field without a name ("name": null: the architecture has none for its
 * bits, e.g. CTR_EL0 bit 31) is known by its bits': every field of every
 * fixture, exported and probed, made unnamed, loads with the documented
 * name, found by it, and is written with it.
 */
static void test_generic_field_names(void **state)
{
	glob_t g, gp;

	(void)state;
	fixture_paths(&g);
	assert_int_equal(glob(KSR_FIXTURES "/probe/*.json", 0, NULL, &gp), 0);
	for (size_t p = 0; p < g.gl_pathc + gp.gl_pathc; p++) {
		const char *path = p < g.gl_pathc ? g.gl_pathv[p] : gp.gl_pathv[p - g.gl_pathc];
		json_object *root = json_object_from_file(path), *regs, *again;
		struct ksr_rules *rules = NULL;
		unsigned int unnamed = 0;
		const char *text;
		size_t len;
		char err[512], *out;

		assert_non_null(root);
		assert_true(json_object_object_get_ex(root, "registers", &regs));
		for (size_t i = 0; i < json_object_array_length(regs); i++) {
			json_object *fields;

			if (!json_object_object_get_ex(json_object_array_get_idx(regs, i), "fields", &fields))
				continue;
			for (size_t j = 0; j < json_object_array_length(fields); j++, unnamed++)
				json_object_object_add(json_object_array_get_idx(fields, j), "name", NULL);
		}
		assert_true(unnamed > 0);
		text = json_object_to_json_string(root);
		assert_int_equal(ksr_profile_parse(text, strlen(text), path, &rules, err, sizeof(err)), 0);
		out = written(rules, &len);
		again = json_tokener_parse(out);
		assert_non_null(again);
		assert_true(json_object_object_get_ex(again, "registers", &regs));
		for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++) {
			const struct ksr_reg *reg = ksr_rules_reg(rules, i);
			json_object *fields;

			if (!json_object_object_get_ex(json_object_array_get_idx(regs, i), "fields", &fields))
				continue;
			for (unsigned int j = 0; j < ksr_reg_nr_fields(reg); j++) {
				json_object *jf = json_object_array_get_idx(fields, j);
				const struct ksr_field *f = ksr_reg_field(reg, j);
				char want[32];

				/* firmware bitmaps' bits keep the UAPI's names where it has them */
				if (ksr_reg_kind(reg) == KSR_REG_KIND_FIRMWARE &&
				    ksr_fw_bit_name(ksr_reg_id(reg), ksr_field_shift(f)))
					continue;
				documented_generic_name(jf, want, sizeof(want));
				assert_string_equal(ksr_field_name(f), want);
				assert_string_equal(str(jf, "name"), want);
				assert_ptr_equal(ksr_reg_find_field(reg, want), f);
			}
		}
		json_object_put(again);
		free(out);
		json_object_put(root);
		ksr_rules_free(rules);
	}
	globfree(&gp);
	globfree(&g);
}

/* A register without an architectural name is known by its encoding's. */
static void test_generic_register_names(void **state)
{
	struct ksr_rules *rules = load(KSR_FIXTURES "/max.json");
	unsigned int generic = 0;

	(void)state;
	for (unsigned int i = 0; i < ksr_rules_nr_regs(rules); i++) {
		const struct ksr_reg *reg = ksr_rules_reg(rules, i);
		struct ksr_encoding e = ksr_reg_encoding(reg);
		char want[32];

		snprintf(want, sizeof(want), "S%u_%u_C%u_C%u_%u", e.op0, e.op1, e.crn, e.crm, e.op2);
		if (strcmp(ksr_reg_name(reg), want))
			continue;
		generic++;
		assert_null(reg->name);
	}
	assert_true(generic > 0);
	ksr_rules_free(rules);
}

/* Masks cover exactly the field's bits; signed fields sign-extend. */
static void test_field_mask_and_get(void **state)
{
	struct ksr_field f = { 0 };

	(void)state;
	for (unsigned int width = 1; width <= 64; width++) {
		for (unsigned int shift = 0; shift + width <= 64; shift += 7) {
			uint64_t mask, top;

			f.shift = (uint8_t)shift;
			f.width = (uint8_t)width;
			f.flags = 0;
			mask = ksr_field_mask(&f);
			assert_int_equal(__builtin_popcountll(mask), width);
			assert_int_equal(__builtin_ctzll(mask), shift);
			top = 1ull << (shift + width - 1);
			assert_int_equal(ksr_field_get(&f, ~0ull), (int64_t)(mask >> shift));
			assert_int_equal(ksr_field_get(&f, top), (int64_t)(top >> shift));
			f.flags = KSR_FIELD_SIGNED;
			/* the top bit set: negative; all ones: -1 */
			assert_true(ksr_field_get(&f, top) < 0 || width == 64);
			assert_int_equal(ksr_field_get(&f, mask), -1);
			assert_int_equal(ksr_field_get(&f, ~mask), 0);
			if (width > 1)
				assert_int_equal(ksr_field_get(&f, top >> 1), (int64_t)(top >> (shift + 1)));
		}
	}
}

static void test_names(void **state)
{
	static const enum ksr_rule_type types[] = {
		KSR_RULE_EXACT, KSR_RULE_LOWER_SAFE, KSR_RULE_HIGHER_SAFE, KSR_RULE_HIGHER_OR_ZERO_SAFE,
		KSR_RULE_ANY,
	};
	static const unsigned int feats[] = { KSR_FEAT_PMU, KSR_FEAT_SVE, KSR_FEAT_PAUTH,
					      KSR_FEAT_PSCI_0_2 };

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_non_null(ksr_rule_type_name(types[i]));
		assert_int_equal(ksr_rule_type_from_name(ksr_rule_type_name(types[i])), types[i]);
	}
	assert_null(ksr_rule_type_name(KSR_RULE_UNKNOWN));
	assert_null(ksr_rule_type_name((enum ksr_rule_type)5));
	assert_string_equal(ksr_rule_type_name(KSR_RULE_ANY), "ANY");
	assert_string_equal(ksr_feature_name(KSR_FEAT_PSCI_0_2), "psci-0.2");
	assert_int_equal(ksr_rule_type_from_name("UNKNOWN"), KSR_RULE_UNKNOWN);
	assert_int_equal(ksr_rule_type_from_name("lower_safe"), KSR_RULE_UNKNOWN);
	for (size_t i = 0; i < sizeof(feats) / sizeof(feats[0]); i++)
		assert_int_equal(ksr_feature_from_name(ksr_feature_name(feats[i])), feats[i]);
	assert_null(ksr_feature_name(1u << 7));
	assert_int_equal(ksr_feature_from_name("mte"), 0);
}

/* Option structs: smaller and larger (zero tail) ones are fine. */
static void test_option_struct_sizes(void **state)
{
	struct big {
		struct ksr_vm_opts opts;
		uint64_t future;
	} big = { { sizeof(big), KSR_FEAT_SVE, KSR_LEARN_RULES }, 0 };
	struct ksr_vm_opts got;
	size_t small = sizeof(size_t);

	(void)state;
	assert_int_equal(ksr_copy_opts(&got, sizeof(got), NULL), 0);
	assert_int_equal(got.size, sizeof(got));
	assert_int_equal(got.features, 0);
	assert_int_equal(ksr_copy_opts(&got, sizeof(got), &big), 0);
	assert_int_equal(got.features, KSR_FEAT_SVE);
	assert_int_equal(got.size, sizeof(got));
	big.future = 1;
	assert_int_equal(ksr_copy_opts(&got, sizeof(got), &big), -E2BIG);
	assert_int_equal(ksr_copy_opts(&got, sizeof(got), &small), 0);
	assert_int_equal(got.features, 0);
	small = 1;
	assert_int_equal(ksr_copy_opts(&got, sizeof(got), &small), -EINVAL);
}

/* The host build has no live source, and says so. */
static void test_no_live_source_on_the_host(void **state)
{
	struct ksr_vm_opts opts = { .size = sizeof(opts) };
	struct ksr_source *src = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(ksr_source_open_vm(&src, &opts, err, sizeof(err)), -EOPNOTSUPP);
	assert_null(src);
	assert_non_null(strstr(err, "no live source"));
}

/* A profile source: the profile's rules, and its defaults as current values. */
static void test_profile_source(void **state)
{
	struct ksr_rules *a = load(KSR_FIXTURES "/cortex-a53.json"), *b = NULL;
	struct ksr_source *src = NULL;
	char err[256];

	(void)state;
	assert_int_equal(ksr_source_open_profile(&src, KSR_FIXTURES "/cortex-a53.json", err,
						 sizeof(err)), 0);
	assert_string_equal(ksr_source_kind(src), "profile");
	assert_int_equal(ksr_source_rules(src, &b, err, sizeof(err)), 0);
	assert_int_equal(ksr_rules_nr_regs(a), ksr_rules_nr_regs(b));
	for (unsigned int i = 0; i < ksr_rules_nr_regs(b); i++) {
		const struct ksr_reg *ra = ksr_rules_reg(a, i), *rb = ksr_rules_reg(b, i);
		uint64_t cur = ~0ull;

		assert_string_equal(ksr_reg_name(ra), ksr_reg_name(rb));
		assert_int_equal(ksr_reg_default(ra), ksr_reg_default(rb));
		assert_int_equal(ksr_reg_nr_fields(ra), ksr_reg_nr_fields(rb));
		for (unsigned int j = 0; j < ksr_reg_nr_fields(ra); j++)
			assert_memory_equal(&ra->fields[j].shift, &rb->fields[j].shift,
					    sizeof(*ra->fields) - offsetof(struct ksr_field, shift));
		assert_int_equal(ksr_source_current(src, rb, &cur), 0);
		assert_int_equal(cur, ksr_reg_default(rb));
	}
	ksr_source_close(src);
	/* The rules outlive their source. */
	assert_string_equal(ksr_reg_name(ksr_rules_reg(b, 0)), ksr_reg_name(ksr_rules_reg(a, 0)));
	ksr_rules_free(a);
	ksr_rules_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accessors_match_the_json),
		cmocka_unit_test(test_generic_register_names),
		cmocka_unit_test(test_generic_field_names),
		cmocka_unit_test(test_field_mask_and_get),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_option_struct_sizes),
		cmocka_unit_test(test_no_live_source_on_the_host),
		cmocka_unit_test(test_profile_source),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
