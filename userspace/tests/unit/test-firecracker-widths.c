// SPDX-License-Identifier: GPL-2.0
/*
 * Firecracker's widths: it writes every aarch64 bitmap 128 characters wide
 * (a u128; the upper 64 x for a 64-bit register), which reads as the same
 * 64-bit modifier; a 0 or 1 beyond bit 63, a bitmap wider than 128 and a
 * register of another size than 64 bits (KVM_REG_SIZE_U128: the SIMD
 * registers; U32) are refused, naming the JSON path.
 */
#include <errno.h>

#include "unit.h"

/* ID_AA64PFR0_EL1 as KVM_GET_REG_LIST prints it */
#define PFR0 "0x603000000013c020"

static int parse(const struct ksr_rules *rules, const char *addr, const char *bitmap,
		 struct ksr_config **cfg, char *err, size_t errlen)
{
	char text[512];

	snprintf(text, sizeof(text), "{\"reg_modifiers\": [{\"addr\": \"%s\", \"bitmap\": \"%s\"}]}",
		 addr, bitmap);
	*cfg = NULL;
	return ksr_config_parse_format(text, strlen(text), "t", rules, KSR_CONFIG_FORMAT_FIRECRACKER,
				       cfg, err, errlen);
}

/* "0b", then pad x, then bits. */
static const char *bitmap(char *buf, unsigned int pad, const char *bits)
{
	int n = snprintf(buf, 300, "0b");

	for (unsigned int i = 0; i < pad; i++)
		buf[n++] = 'x';
	snprintf(buf + n, (size_t)(300 - n), "%s", bits);
	return buf;
}

/* The 64 characters of a value of ID_AA64PFR0_EL1: SVE (bits 35:32) cleared, the rest x. */
static void sve_off(char *bits)
{
	for (unsigned int i = 0; i < 64; i++)
		bits[i] = (63 - i) >= 32 && (63 - i) <= 35 ? '0' : 'x';
	bits[64] = '\0';
}

static void test_firecrackers_128_wide_bitmap_is_the_64_bit_one(void **state)
{
	struct ksr_rules *rules = model("max");
	struct ksr_config *narrow, *wide;
	char bits[65], b64[300], b128[300], err[512] = "";
	uint64_t v64, v128;

	(void)state;
	sve_off(bits);
	assert_int_equal(parse(rules, PFR0, bitmap(b64, 0, bits), &narrow, err, sizeof(err)), 0);
	if (parse(rules, PFR0, bitmap(b128, 64, bits), &wide, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(config_same(narrow, wide));
	assert_int_equal(ksr_config_find_id(wide, ksr_encoding_id((struct ksr_encoding){ 3, 0, 0, 4, 0 }),
					    &v128), 0);
	assert_int_equal(ksr_config_find_id(narrow, ksr_encoding_id((struct ksr_encoding){ 3, 0, 0, 4, 0 }),
					    &v64), 0);
	assert_int_equal(v128, v64);
	assert_int_equal(v128 >> 32 & 0xf, 0);
	ksr_config_free(narrow);
	ksr_config_free(wide);
	/* 128 x: no change at all */
	assert_int_equal(parse(rules, PFR0, bitmap(b128, 128, ""), &wide, err, sizeof(err)), 0);
	assert_int_equal(ksr_config_from_defaults(rules, &narrow), 0);
	assert_true(config_same(narrow, wide));
	ksr_config_free(narrow);
	ksr_config_free(wide);
	ksr_rules_free(rules);
}

static void test_what_a_64_bit_register_cannot_take(void **state)
{
	static const struct {
		const char *addr;
		unsigned int pad;	/* x before bits */
		const char *bits;
		const char *err;
	} cases[] = {
		/* A 1 or a 0 beyond bit 63, x above it */
		{ PFR0, 27, "1" "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
		  "t: reg_modifiers[0].bitmap: has 128 bits and bit 100 is '1': a 64-bit register's bitmap has only x beyond bit 63" },
		{ PFR0, 63, "0" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1111",
		  "t: reg_modifiers[0].bitmap: has 128 bits and bit 64 is '0': a 64-bit register's bitmap has only x beyond bit 63" },
		/* Wider than Firecracker's u128 */
		{ PFR0, 130, "", "t: reg_modifiers[0].bitmap: has 130 bits, more than Firecracker's 128" },
	};
	struct ksr_rules *rules = model("max");

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ksr_config *cfg;
		char b[300], err[512] = "";

		assert_int_equal(parse(rules, cases[i].addr, bitmap(b, cases[i].pad, cases[i].bits), &cfg,
				       err, sizeof(err)), -EINVAL);
		assert_null(cfg);
		if (strcmp(err, cases[i].err))
			fail_msg("%zu: got '%s'\n    wanted '%s'", i, err, cases[i].err);
	}
	ksr_rules_free(rules);
}

/*
 * What the library has no rules for (the core registers of a
 * cpu-template-helper dump, registers of 128 or 32 bits) is kept as it
 * was, reported, and written back after the others; the ID register
 * beside them is read. Bitmaps may have '_' separators and addr may be
 * decimal, as Firecracker's schema has them.
 */
static void test_registers_without_rules_are_kept(void **state)
{
	static const char text[] =
		"{ \"reg_modifiers\": ["
		" { \"addr\": \"0x6030000000100000\", \"bitmap\": \"0b0000\" },"
		" { \"addr\": \"0x6040000000100054\", \"bitmap\": \"0b1xxx\" },"
		" { \"addr\": \"0x6020000000110000\", \"bitmap\": \"0b1\" },"
		/* ID_AA64PFR0_EL1 by its decimal id, SVE (bits 35:32) cleared, '_' between nibbles */
		" { \"addr\": \"6931039826524487712\","
		"   \"bitmap\": \"0bxxxx_xxxx_xxxx_xxxx_xxxx_xxxx_0000_xxxx_xxxx_xxxx_xxxx_xxxx_xxxx_xxxx_xxxx\" } ] }";
	struct ksr_rules *rules = model("max");
	const struct ksr_reg *pfr0 = ksr_rules_find_reg(rules, "ID_AA64PFR0_EL1");
	struct ksr_config *cfg, *again;
	char err[512] = "", *out = NULL;
	const char *key, *kept;
	uint64_t value;
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(ksr_config_parse_format(text, strlen(text), "t", rules,
						 KSR_CONFIG_FORMAT_AUTO, &cfg, err, sizeof(err)), 0);
	assert_int_equal(ksr_config_find_id(cfg, ksr_reg_id(pfr0), &value), 0);
	assert_int_equal(value, ksr_reg_default(pfr0) & ~(0xfull << 32));
	assert_int_equal(ksr_config_kept(cfg, 0, &key, &kept), 0);
	assert_string_equal(key, "reg_modifiers");
	assert_non_null(strstr(kept, "0x6030000000100000"));
	assert_non_null(strstr(kept, "0x6040000000100054"));
	assert_non_null(strstr(kept, "0x6020000000110000"));
	assert_int_equal(ksr_config_find_id(cfg, 0x6030000000100000ull, &value), -ENOENT);
	f = open_memstream(&out, &len);
	assert_int_equal(ksr_config_write_format(cfg, rules, KSR_CONFIG_FORMAT_FIRECRACKER, f, 0, err,
						 sizeof(err)), 0);
	fclose(f);
	assert_non_null(strstr(out, "\"0x6040000000100054\""));
	assert_int_equal(ksr_config_parse_format(out, len, "w", rules, KSR_CONFIG_FORMAT_FIRECRACKER,
						 &again, err, sizeof(err)), 0);
	assert_true(config_same(cfg, again));
	assert_int_equal(ksr_config_kept(again, 0, &key, &kept), 0);
	assert_non_null(strstr(kept, "0x6020000000110000"));
	free(out);
	ksr_config_free(again);
	ksr_config_free(cfg);
	ksr_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firecrackers_128_wide_bitmap_is_the_64_bit_one),
		cmocka_unit_test(test_what_a_64_bit_register_cannot_take),
		cmocka_unit_test(test_registers_without_rules_are_kept),
	};

	return cmocka_run_group_tests_name("firecracker-widths", tests, NULL, NULL);
}
