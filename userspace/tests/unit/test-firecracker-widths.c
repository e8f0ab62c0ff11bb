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
		/* Registers of another size: 128-bit (a SIMD register of KVM_REG_ARM_CORE), 32-bit */
		{ "0x6040000000100054", 64, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1",
		  "t: reg_modifiers[0].addr: \"0x6040000000100054\" is a 128-bit register (KVM_REG_SIZE_U128): the library has the rules of 64-bit registers only" },
		{ "0x6040000000130000", 0, "1",
		  "t: reg_modifiers[0].addr: \"0x6040000000130000\" is a 128-bit register (KVM_REG_SIZE_U128): the library has the rules of 64-bit registers only" },
		{ "0x6020000000110000", 0, "1",
		  "t: reg_modifiers[0].addr: \"0x6020000000110000\" is a 32-bit register (KVM_REG_SIZE_U32): the library has the rules of 64-bit registers only" },
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firecrackers_128_wide_bitmap_is_the_64_bit_one),
		cmocka_unit_test(test_what_a_64_bit_register_cannot_take),
	};

	return cmocka_run_group_tests_name("firecracker-widths", tests, NULL, NULL);
}
