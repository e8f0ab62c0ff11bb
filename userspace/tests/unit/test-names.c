// SPDX-License-Identifier: GPL-2.0
/*
 * Registers by encoding and id without rules (ksr_encoding_name(),
 * ksr_encoding_id(), ksr_id_name(), ksr_id_kind(), ksr_reg_bit_name(),
 * ksr_id_range_regs()), ksr_parse_hex64(), the KSR_PROVIDER_* strings and
 * what a profile source answers to the calls that need a VM. Written as a
 * program outside the tree would be: the public header only, the
 * expectations taken from the fixtures (captured from real KVM) through
 * its accessors.
 */
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kvm-safe-rules.h"

#define MAX_FIXTURES 16

static size_t load_fixtures(struct ksr_rules **rules, glob_t *g)
{
	char err[512];

	assert_int_equal(glob(KSR_FIXTURES "/*.json", 0, NULL, g), 0);
	assert_true(g->gl_pathc > 0 && g->gl_pathc <= MAX_FIXTURES);
	for (size_t i = 0; i < g->gl_pathc; i++)
		if (ksr_profile_load(g->gl_pathv[i], &rules[i], err, sizeof(err)))
			fail_msg("%s", err);
	return g->gl_pathc;
}

static void free_fixtures(struct ksr_rules **rules, size_t n, glob_t *g)
{
	for (size_t i = 0; i < n; i++)
		ksr_rules_free(rules[i]);
	globfree(g);
}

static bool same_encoding(struct ksr_encoding a, struct ksr_encoding b)
{
	return a.op0 == b.op0 && a.op1 == b.op1 && a.crn == b.crn && a.crm == b.crm && a.op2 == b.op2;
}

/* Calls check on every register of every fixture. */
static void every_reg(void (*check)(const struct ksr_reg *reg, void *ctx), void *ctx)
{
	struct ksr_rules *rules[MAX_FIXTURES];
	glob_t g;
	size_t n = load_fixtures(rules, &g);

	for (size_t p = 0; p < n; p++) {
		for (unsigned int i = 0; i < ksr_rules_nr_regs(rules[p]); i++) {
			const struct ksr_reg *reg = ksr_rules_reg(rules[p], i);

			/* The one register of its id and encoding */
			assert_ptr_equal(ksr_rules_find_id(rules[p], ksr_reg_id(reg)), reg);
			check(reg, ctx);
		}
	}
	free_fixtures(rules, n, &g);
}

/* A register by its encoding and by its id. */
static void check_ids_and_names(const struct ksr_reg *reg, void *ctx)
{
	struct ksr_encoding enc = ksr_reg_encoding(reg);
	uint64_t id = ksr_reg_id(reg);
	char buf[32], generic[32], by_enc[32];
	const char *name;

	(void)ctx;
	assert_int_equal(ksr_id_kind(id), ksr_reg_kind(reg));
	name = ksr_id_name(id, buf, sizeof(buf));
	if (ksr_reg_kind(reg) == KSR_REG_KIND_FIRMWARE) {
		/* No encoding: nothing has this "id" but the register */
		assert_int_equal(ksr_encoding_id(enc), 0);
		assert_string_equal(name, ksr_reg_name(reg));
		return;
	}
	assert_int_equal(ksr_encoding_id(enc), id);
	/* By id as by encoding; the architecture's name or the generic one */
	snprintf(generic, sizeof(generic), "S%u_%u_C%u_C%u_%u", enc.op0, enc.op1, enc.crn, enc.crm,
		 enc.op2);
	assert_string_equal(name, ksr_encoding_name(enc, by_enc, sizeof(by_enc)));
	if (strcmp(name, generic))
		assert_string_equal(name, ksr_reg_name(reg));
	/* An ID register has no bit names of the UAPI */
	for (unsigned int bit = 0; bit < 64; bit++)
		assert_null(ksr_reg_bit_name(reg, bit));
}

static void test_ids_and_names(void **state)
{
	(void)state;
	every_reg(check_ids_and_names, NULL);
}

static void test_ids_out_of_range(void **state)
{
	static const struct ksr_encoding bad[] = {
		{ 4, 0, 0, 1, 0 }, { 3, 8, 0, 1, 0 }, { 3, 0, 16, 1, 0 }, { 3, 0, 0, 16, 0 },
		{ 3, 0, 0, 1, 8 }, { 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ksr_encoding_id(bad[i]), 0);
	assert_int_equal(ksr_encoding_id((struct ksr_encoding){ 3, 0, 0, 4, 0 }), 0x603000000013c020ull);
	assert_int_equal(ksr_id_kind(0), -EINVAL);
	assert_int_equal(ksr_id_kind(0x6020000000110000ull), -EINVAL);	/* a core register */
	assert_int_equal(ksr_id_kind(0x6030000000150000ull), -EINVAL);	/* a coprocessor of no kind here */
	/* A firmware id the UAPI does not name, an id of no kind: their hex */
	assert_string_equal(ksr_id_name(0x6030000000140099ull, buf, sizeof(buf)), "0x6030000000140099");
	assert_string_equal(ksr_id_name(0x6020000000110000ull, buf, sizeof(buf)), "0x6020000000110000");
	/* A short buffer is cut, never overrun */
	assert_string_equal(ksr_id_name(0x6030000000140099ull, buf, 5), "0x60");
	assert_string_equal(ksr_encoding_name((struct ksr_encoding){ 2, 0, 0, 0, 2 }, buf, 6), "S2_0_");
}

/* A bitmap's fields are named after the UAPI's bits where it names them; *ctx counts those. */
static void check_bit_names(const struct ksr_reg *reg, void *ctx)
{
	unsigned int *named = ctx;

	if (ksr_reg_kind(reg) != KSR_REG_KIND_FIRMWARE)
		return;
	assert_null(ksr_reg_bit_name(reg, 64));
	assert_null(ksr_reg_bit_name(reg, ~0u));
	if (!(ksr_reg_flags(reg) & KSR_REG_BITMAP)) {
		for (unsigned int bit = 0; bit < 64; bit++)
			assert_null(ksr_reg_bit_name(reg, bit));
		return;
	}
	for (unsigned int j = 0; j < ksr_reg_nr_fields(reg); j++) {
		const struct ksr_field *f = ksr_reg_field(reg, j);
		const char *bit = ksr_reg_bit_name(reg, ksr_field_shift(f));
		char generic[16];

		snprintf(generic, sizeof(generic), "BIT%u", ksr_field_shift(f));
		assert_string_equal(ksr_field_name(f), bit ? bit : generic);
		*named += bit != NULL;
	}
}

static void test_bit_names(void **state)
{
	unsigned int named = 0;

	(void)state;
	every_reg(check_bit_names, &named);
	/* The fixtures offer named bits (TRNG, PV_TIME, PTP, ...) */
	assert_true(named > 0);
}

/* The ID registers every fixture has are those of ksr_id_range_regs(). */
static void test_id_range_regs(void **state)
{
	struct ksr_rules *rules[MAX_FIXTURES];
	struct ksr_encoding encs[128], *some;
	glob_t g;
	size_t n = load_fixtures(rules, &g);
	unsigned int nr = ksr_id_range_regs(NULL, 0);

	(void)state;
	assert_true(nr > 0 && nr < 128);
	memset(encs, 0xaa, sizeof(encs));
	assert_int_equal(ksr_id_range_regs(encs, 128), nr);
	assert_int_equal(encs[nr].op0, 0xaa);
	/* At most max filled */
	some = calloc(nr, sizeof(*some));
	assert_non_null(some);
	memset(some, 0xaa, nr * sizeof(*some));
	assert_int_equal(ksr_id_range_regs(some, 3), nr);
	assert_true(same_encoding(some[2], encs[2]));
	assert_int_equal(some[3].op0, 0xaa);
	free(some);
	for (unsigned int i = 1; i < nr; i++)
		assert_true(ksr_encoding_id(encs[i - 1]) < ksr_encoding_id(encs[i]));
	for (size_t p = 0; p < n; p++) {
		unsigned int nr_id = 0;

		for (unsigned int i = 0; i < ksr_rules_nr_regs(rules[p]); i++)
			nr_id += ksr_reg_kind(ksr_rules_reg(rules[p], i)) == KSR_REG_KIND_ID;
		assert_int_equal(nr_id, nr);
		for (unsigned int i = 0; i < nr; i++)
			assert_non_null(ksr_rules_find_encoding(rules[p], encs[i]));
	}
	free_fixtures(rules, n, &g);
}

static void test_parse_hex64(void **state)
{
	static const struct {
		const char *text;
		int ret;
		uint64_t value;
	} cases[] = {
		{ "0", 0, 0 }, { "0x0", 0, 0 }, { "0X1f", 0, 0x1f }, { "Ab", 0, 0xab },
		{ "ffffffffffffffff", 0, UINT64_MAX }, { "0x0000000000000001", 0, 1 },
		{ "", -EINVAL, 0 }, { "0x", -EINVAL, 0 }, { "+5", -EINVAL, 0 }, { "-1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 }, { "1 ", -EINVAL, 0 }, { "0x10000000000000000", -EINVAL, 0 },
		{ "12g", -EINVAL, 0 }, { "0b1", 0, 0xb1 },	/* hex, not binary */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 42;

		assert_int_equal(ksr_parse_hex64(cases[i].text, &v), cases[i].ret);
		assert_int_equal(v, cases[i].ret ? 42 : cases[i].value);
	}
}

/* A profile has no VM: the calls that need one say so. */
static void test_profile_source_has_no_vm(void **state)
{
	struct ksr_vm_opts none = { .size = sizeof(none), .learn = KSR_LEARN_NONE };
	struct ksr_source *src = NULL;
	const char *provider = NULL;
	struct ksr_rules *rules;
	char err[256] = "";
	uint64_t v = 7;

	(void)state;
	assert_int_equal(ksr_source_open_profile(&src, KSR_FIXTURES "/max.json", err, sizeof(err)), 0);
	assert_int_equal(ksr_source_get_id(src, 0x603000000013c020ull, &v), -EOPNOTSUPP);
	assert_int_equal(ksr_source_writable_mask(src, (struct ksr_encoding){ 3, 0, 0, 4, 0 }, &v),
			 -EOPNOTSUPP);
	assert_int_equal(v, 7);
	assert_int_equal(ksr_source_rules_provider(src, &provider, err, sizeof(err)), -EOPNOTSUPP);
	assert_null(provider);
	assert_non_null(strstr(err, "profile"));
	/* The provider strings are the library's own: the profile records one */
	assert_int_equal(ksr_source_rules(src, &rules, err, sizeof(err)), 0);
	assert_non_null(ksr_source_provider(src));
	assert_true(!strcmp(ksr_rules_provider(rules), KSR_PROVIDER_KERNEL) ||
		    !strcmp(ksr_rules_provider(rules), KSR_PROVIDER_MODULE) ||
		    !strcmp(ksr_rules_provider(rules), KSR_PROVIDER_PROBE));
	ksr_rules_free(rules);
	ksr_source_close(src);
	/* This build has no live source, with or without rules */
	assert_int_equal(ksr_source_open_vm(&src, &none, err, sizeof(err)), -EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_and_names),
		cmocka_unit_test(test_ids_out_of_range),
		cmocka_unit_test(test_bit_names),
		cmocka_unit_test(test_id_range_regs),
		cmocka_unit_test(test_parse_hex64),
		cmocka_unit_test(test_profile_source_has_no_vm),
	};

	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
